// The virtual courtroom: WebRTC peer-to-peer mesh over our signalling socket (/ws/rooms/<id>/, docs/ROOMS.md).
// Each pair of participants has one RTCPeerConnection and uses "perfect negotiation" (the peer with the higher
// id is polite), so offers from both sides at once cannot deadlock. The server decides who is in the room and
// rewrites the session descriptions of muted participants; this page follows what it is told.
(function () {
  "use strict";
  const configNode = document.getElementById("room-config");
  if (!configNode) return;
  const cfg = JSON.parse(configNode.textContent);
  const S = cfg.strings;
  const grid = document.getElementById("video-grid");
  const notice = document.getElementById("room-notice");
  const statusLine = document.getElementById("room-status");
  const stateBadge = document.getElementById("room-state");
  const lobbyList = document.getElementById("lobby-list");
  const participantList = document.getElementById("participant-list");
  const chatLog = document.getElementById("chat-log");

  let socket = null;
  let me = null;
  let localStream = null;
  let iceServers = cfg.iceServers || [];
  let finished = false;
  let attempts = 0;
  const peers = new Map(); // participant id → {pc, makingOffer, ignoreOffer, info}
  const roster = new Map(); // participant id → summary (seat, name, muted, camera_off, quality)
  window.ytRoom = { peers, roster, get me() { return me; }, get socket() { return socket; } };

  function show(text, kind) {
    notice.textContent = text;
    notice.className = `alert alert-${kind || "info"}`;
  }
  function hideNotice() { notice.className = "alert alert-info d-none"; }

  function send(msg) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  }

  // --- local media --------------------------------------------------------------------------------------------
  async function openMedia() {
    if (localStream) return localStream;
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
      // rooms-recorder.js records this stream in chunks uploaded as they are made (a lost tab loses at most one)
      document.dispatchEvent(new CustomEvent("rooms:local-stream", { detail: { stream: localStream } }));
    } catch (error) {
      console.warn("media:", error);
      show(S.noCamera, "warning");
      localStream = new MediaStream();
    }
    const tile = ensureTile(me.id, me);
    const video = tile.querySelector("video");
    video.muted = true;
    video.srcObject = localStream;
    applyLocalFlags();
    return localStream;
  }

  function applyLocalFlags() {
    if (!localStream) return;
    const micBtn = document.getElementById("toggle-mic");
    const camBtn = document.getElementById("toggle-cam");
    localStream.getAudioTracks().forEach((t) => { t.enabled = !me.muted && !me.selfMuted && !me.paused; });
    localStream.getVideoTracks().forEach((t) => { t.enabled = !me.camera_off && !me.selfCameraOff && !me.paused; });
    micBtn.classList.toggle("btn-danger", Boolean(me.muted || me.selfMuted));
    micBtn.querySelector("i").className = me.muted || me.selfMuted ? "bi bi-mic-mute" : "bi bi-mic";
    camBtn.classList.toggle("btn-danger", Boolean(me.camera_off || me.selfCameraOff));
    camBtn.querySelector("i").className = me.camera_off || me.selfCameraOff ? "bi bi-camera-video-off" : "bi bi-camera-video";
    micBtn.disabled = Boolean(me.muted);
    camBtn.disabled = Boolean(me.camera_off);
  }

  // --- tiles --------------------------------------------------------------------------------------------------
  function ensureTile(id, info) {
    let tile = grid.querySelector(`[data-participant-id="${id}"]`);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "yt-tile m-0";
      tile.dataset.participantId = id;
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      video.dataset.testid = `video-${id}`;
      const seat = document.createElement("figcaption");
      seat.className = "yt-seat";
      const flags = document.createElement("div");
      flags.className = "yt-flags";
      tile.append(video, seat, flags);
      if (me && id === me.id) grid.prepend(tile); else grid.append(tile);
    }
    if (info) {
      const label = cfg.seatLabels[info.seat] || info.seat_label || "";
      tile.querySelector(".yt-seat").textContent = me && id === me.id ? `${label}（${S.you}）` : `${label} ${info.name || ""}`;
      const flags = tile.querySelector(".yt-flags");
      flags.replaceChildren();
      if (info.muted) flags.append(badge("bi-mic-mute", "text-bg-danger"));
      if (info.camera_off) flags.append(badge("bi-camera-video-off", "text-bg-danger"));
      if (info.quality && info.quality.level) {
        const q = document.createElement("span");
        q.className = `badge yt-q-${info.quality.level}`;
        q.dataset.testid = "quality";
        q.textContent = `${S.quality[info.quality.level] || info.quality.level} ${info.quality.rtt_ms ?? "–"}ms`;
        flags.append(q);
      }
    }
    return tile;
  }
  function badge(icon, cls) {
    const b = document.createElement("span");
    b.className = `badge ${cls}`;
    const i = document.createElement("i");
    i.className = `bi ${icon}`;
    b.append(i);
    return b;
  }
  function dropTile(id) { grid.querySelector(`[data-participant-id="${id}"]`)?.remove(); }

  // --- peers --------------------------------------------------------------------------------------------------
  function addLocalTracks(pc) {
    (localStream ? localStream.getTracks() : []).forEach((track) => pc.addTrack(track, localStream));
  }

  // withTracks false: the peer is created by its first offer, whose transceivers our tracks then reuse
  function peer(id, withTracks = true) {
    let p = peers.get(id);
    if (p) return p;
    const pc = new RTCPeerConnection({ iceServers });
    p = { pc, makingOffer: false, ignoreOffer: false, polite: me.id > id };
    peers.set(id, p);
    if (withTracks) addLocalTracks(pc);
    pc.addEventListener("icecandidate", ({ candidate }) => send({ type: "candidate", to: id, candidate: candidate ? candidate.toJSON() : null }));
    pc.addEventListener("track", ({ track, streams }) => {
      const video = ensureTile(id, roster.get(id)).querySelector("video");
      if (video.srcObject !== streams[0]) video.srcObject = streams[0] || new MediaStream([track]);
    });
    pc.addEventListener("negotiationneeded", () => negotiate(id));
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "failed") pc.restartIce();
    });
    return p;
  }

  async function negotiate(id) {
    const p = peer(id);
    try {
      p.makingOffer = true;
      await p.pc.setLocalDescription();
      send({ type: "offer", to: id, sdp: p.pc.localDescription.sdp });
    } catch (error) {
      console.warn("offer:", error);
    } finally {
      p.makingOffer = false;
    }
  }

  async function onDescription(msg) {
    const fresh = !peers.has(msg.from) && msg.type === "offer";
    const p = peer(msg.from, !fresh);
    const description = { type: msg.type, sdp: msg.sdp };
    const collision = msg.type === "offer" && (p.makingOffer || p.pc.signalingState !== "stable");
    p.ignoreOffer = !p.polite && collision;
    if (p.ignoreOffer) return;
    try {
      await p.pc.setRemoteDescription(description);
      if (fresh) addLocalTracks(p.pc);
      if (msg.type === "offer") {
        await p.pc.setLocalDescription();
        send({ type: "answer", to: msg.from, sdp: p.pc.localDescription.sdp });
      }
    } catch (error) {
      console.warn("description:", error);
    }
  }

  async function onCandidate(msg) {
    const p = peer(msg.from);
    try {
      await p.pc.addIceCandidate(msg.candidate || null);
    } catch (error) {
      if (!p.ignoreOffer) console.warn("candidate:", error);
    }
  }

  function hangUp(id) {
    const p = peers.get(id);
    if (p) { p.pc.close(); peers.delete(id); }
    roster.delete(id);
    dropTile(id);
  }
  function hangUpAll() { [...peers.keys()].forEach(hangUp); }

  // Set what this side sends (after a mute or camera change), then offer again to everyone.
  function renegotiateAll() { peers.forEach((_, id) => negotiate(id)); }

  // --- quality: RTCPeerConnection.getStats, the worst of all peers, every 5 s ---------------------------------
  const lastBytes = new Map();
  async function reportQuality() {
    if (!peers.size) return;
    let rtt = 0; let lost = 0; let received = 0; let bytes = 0;
    for (const [id, p] of peers) {
      const stats = await p.pc.getStats();
      stats.forEach((s) => {
        if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) rtt = Math.max(rtt, s.currentRoundTripTime * 1000);
        if (s.type === "inbound-rtp") { lost += s.packetsLost || 0; received += s.packetsReceived || 0; bytes += s.bytesReceived || 0; }
      });
      lastBytes.set(id, true);
    }
    const prev = lastBytes.get("total") || { bytes, at: performance.now() - 5000 };
    const now = performance.now();
    const kbps = Math.max(0, ((bytes - prev.bytes) * 8) / Math.max(1, now - prev.at));
    lastBytes.set("total", { bytes, at: now });
    send({ type: "quality", stats: { rtt_ms: Math.round(rtt), loss: received + lost ? lost / (received + lost) : 0, kbps: Math.round(kbps) } });
  }

  // --- host panel ---------------------------------------------------------------------------------------------
  function control(action, participantId, extra) {
    send(Object.assign({ type: "control", action, participant_id: participantId }, extra || {}));
  }
  function button(label, cls, onClick, testid) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `btn btn-sm ${cls}`;
    b.textContent = label;
    if (testid) b.dataset.testid = testid;
    b.addEventListener("click", onClick);
    return b;
  }
  function renderHostLists(msg) {
    if (!participantList) return;
    lobbyList.replaceChildren();
    (msg.lobby || []).forEach((p) => {
      const li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between align-items-center px-1";
      li.dataset.participantId = p.id;
      li.append(`${cfg.seatLabels[p.seat] || p.seat} ${p.name}`,
        button(S.admit, "btn-success", () => control("admit", p.id), `admit-${p.id}`));
      lobbyList.append(li);
    });
    if (!lobbyList.children.length) {
      const li = document.createElement("li");
      li.className = "list-group-item text-secondary px-1";
      li.textContent = S.noLobby;
      lobbyList.append(li);
    }
    participantList.replaceChildren();
    (msg.participants || []).forEach((p) => {
      roster.set(p.id, Object.assign(roster.get(p.id) || {}, p));
      if (p.id !== me.id) ensureTile(p.id, roster.get(p.id));
      const li = document.createElement("li");
      li.className = "list-group-item px-1";
      li.dataset.participantId = p.id;
      const head = document.createElement("div");
      head.textContent = `${cfg.seatLabels[p.seat] || p.seat} ${p.name}${p.breakout ? ` · ${p.breakout}` : ""}`;
      if (p.quality && p.quality.level) {
        const q = document.createElement("span");
        q.className = `badge ms-1 yt-q-${p.quality.level}`;
        q.textContent = `${p.quality.rtt_ms ?? "–"} ms · ${p.quality.kbps ?? "–"} kbps`;
        head.append(q);
      }
      li.append(head);
      if (!p.host) {
        const row = document.createElement("div");
        row.className = "d-flex flex-wrap gap-1 mt-1";
        row.append(
          button(p.muted ? S.unmute : S.mute, "btn-outline-secondary", () => control(p.muted ? "unmute" : "mute", p.id), `mute-${p.id}`),
          button(p.camera_off ? S.cameraOn : S.cameraOff, "btn-outline-secondary", () => control(p.camera_off ? "camera_on" : "camera_off", p.id), `camera-${p.id}`),
          p.state === "breakout"
            ? button(S.return, "btn-outline-primary", () => control("return", p.id), `return-${p.id}`)
            : button(S.breakout, "btn-outline-primary", () => {
              const name = window.prompt(S.breakoutName, "背靠背");
              if (name) control("breakout", p.id, { name });
            }, `breakout-${p.id}`),
          button(S.remove, "btn-outline-danger", () => {
            const reason = window.prompt(S.removeReason, "");
            if (reason && reason.trim()) control("remove", p.id, { reason });
          }, `remove-${p.id}`),
        );
        li.append(row);
      }
      participantList.append(li);
    });
  }

  function setRoomState(state) {
    stateBadge.textContent = S[state] || state;
    stateBadge.dataset.state = state;
    stateBadge.className = `badge text-bg-${state === "live" ? "success" : state === "paused" ? "warning" : "secondary"}`;
    me.paused = state === "paused";
    if (me.paused) show(S.paused, "warning"); else if (notice.textContent === S.paused) hideNotice();
    applyLocalFlags();
  }

  // --- messages from the server -------------------------------------------------------------------------------
  async function onMessage(msg) {
    switch (msg.type) {
      case "lobby":
        // first entry, or sent back to the lobby (a witness whose testimony was stopped): nothing of the room stays
        if (me && me.id === msg.me.id) {
          hangUpAll();
          grid.querySelectorAll("[data-participant-id]").forEach((tile) => {
            if (Number(tile.dataset.participantId) !== me.id) tile.remove();
          });
          roster.clear();
        }
        me = Object.assign(me || {}, msg.me);
        statusLine.textContent = S.lobby;
        show(S.lobby, "info");
        break;
      case "welcome": {
        me = Object.assign(me || {}, msg.me);
        iceServers = msg.ice_servers || iceServers;
        hideNotice();
        statusLine.textContent = "";
        hangUpAll();
        await openMedia();
        ensureTile(me.id, me);
        setRoomState(cfg.state);
        msg.participants.forEach((p) => { roster.set(p.id, p); if (p.id !== me.id) ensureTile(p.id, p); });
        if (cfg.host) renderHostLists(msg);
        // the newcomer offers to everyone already here
        msg.participants.filter((p) => p.id !== me.id).forEach((p) => peer(p.id));
        break;
      }
      case "joined":
        if (msg.participant.id === me.id) break;
        roster.set(msg.participant.id, msg.participant);
        ensureTile(msg.participant.id, msg.participant);
        break;
      case "left":
        hangUp(msg.participant_id);
        break;
      case "offer": case "answer":
        await onDescription(msg);
        break;
      case "candidate":
        await onCandidate(msg);
        break;
      case "subscribe":
        negotiate(msg.from);
        break;
      case "chat": {
        const li = document.createElement("li");
        const who = document.createElement("strong");
        who.textContent = `${msg.seat} ${msg.name}：`;
        li.append(who, msg.text);
        chatLog.append(li);
        chatLog.scrollTop = chatLog.scrollHeight;
        break;
      }
      case "participants":
        if (cfg.host) renderHostLists(msg);
        break;
      case "roster_changed":
        send({ type: "participants" });
        break;
      case "knock":
        send({ type: "participants" });
        break;
      case "quality": {
        const info = Object.assign(roster.get(msg.participant_id) || {}, { quality: msg.quality });
        roster.set(msg.participant_id, info);
        if (msg.participant_id !== me.id) ensureTile(msg.participant_id, info);
        break;
      }
      case "peer_state": {
        const info = Object.assign(roster.get(msg.participant_id) || {}, { muted: msg.muted, camera_off: msg.camera_off });
        roster.set(msg.participant_id, info);
        ensureTile(msg.participant_id, info);
        // offer again: the server rewrites the muted side's answer, so this side stops receiving its audio
        if (peers.has(msg.participant_id)) negotiate(msg.participant_id);
        if (cfg.host) send({ type: "participants" });
        break;
      }
      case "control":
        if (msg.action === "mute") { me.muted = true; show(S.mutedByHost, "warning"); }
        if (msg.action === "unmute") { me.muted = false; show(S.unmutedByHost, "info"); }
        if (msg.action === "camera_off") { me.camera_off = true; show(S.cameraOffByHost, "warning"); }
        if (msg.action === "camera_on") { me.camera_off = false; show(S.cameraOnByHost, "info"); }
        applyLocalFlags();
        ensureTile(me.id, me);
        renegotiateAll();
        break;
      case "room_state":
        cfg.state = msg.state;
        setRoomState(msg.state);
        break;
      case "removed": case "closed": case "superseded":
        finish(S[msg.type], msg.type === "removed" ? "danger" : "secondary");
        break;
      case "error":
        if (msg.message) show(msg.message, "warning");
        break;
      default:
        break;
    }
  }

  function finish(text, kind) {
    finished = true;
    hangUpAll();
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    dropTile(me && me.id);
    document.querySelectorAll("#yt-room button, #yt-room input").forEach((el) => { el.disabled = true; });
    show(text, kind);
    document.getElementById("yt-room").dataset.finished = "1";
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${cfg.wsPath}`);
    socket.addEventListener("open", () => { attempts = 0; });
    socket.addEventListener("message", (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch (error) { return; }
      onMessage(msg).catch((error) => console.warn("room:", error));
    });
    socket.addEventListener("close", (event) => {
      if (finished || [4403, 4404, 4409, 4000, 1000].includes(event.code) || attempts >= 8) {
        if (!finished && event.code === 4404) finish(S.removed, "danger");
        return;
      }
      attempts += 1;
      statusLine.textContent = S.disconnected;
      hangUpAll();
      setTimeout(connect, 1000 * attempts);
    });
  }

  // --- page controls ------------------------------------------------------------------------------------------
  document.getElementById("toggle-mic").addEventListener("click", () => { me.selfMuted = !me.selfMuted; applyLocalFlags(); });
  document.getElementById("toggle-cam").addEventListener("click", () => { me.selfCameraOff = !me.selfCameraOff; applyLocalFlags(); });
  document.getElementById("leave").addEventListener("click", () => { send({ type: "leave" }); finish(S.closed, "secondary"); });
  document.getElementById("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("chat-text");
    if (input.value.trim()) send({ type: "chat", text: input.value });
    input.value = "";
  });
  document.querySelectorAll("[data-room-action]").forEach((b) => b.addEventListener("click", () => {
    if (b.dataset.roomAction === "close" && !window.confirm(S.closed + "?")) return;
    send({ type: "control", action: b.dataset.roomAction });
  }));
  setInterval(() => { reportQuality().catch(() => {}); }, 5000);
  connect();
})();
