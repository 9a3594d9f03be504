// 案件空间: the chat page over /ws/spaces/{id}/ (message types in docs/ROOMS.md, "Case spaces").
// Everything the server refuses (mute, 全员禁言, removal, blocked words) is decided on the server; this script
// only shows what it is told.
(function () {
  "use strict";
  const cfgEl = document.getElementById("space-config");
  if (!cfgEl) return;
  const cfg = JSON.parse(cfgEl.textContent);
  const S = cfg.strings;
  const log = document.getElementById("space-log");
  const form = document.getElementById("space-form");
  const input = document.getElementById("space-text");
  const errorBox = document.getElementById("space-error");
  const reads = {}; // user id → highest seq read
  const mine = []; // [seq, element] of my own messages, for 已读 N
  let ws = null;
  let lastSeq = cfg.lastSeq || 0;
  let retry = 1000;
  let gone = false;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function time(at) {
    const d = new Date(at);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.classList.remove("d-none");
    clearTimeout(showError.t);
    showError.t = setTimeout(() => errorBox.classList.add("d-none"), 8000);
  }

  function safeUrl(url) {
    return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
  }

  function render(msg) {
    if (msg.id && log.querySelector(`[data-item="${msg.id}"]`)) return;
    const own = msg.from === cfg.me;
    const li = el("li", "yt-space-item" + (own ? " yt-space-own" : ""));
    li.dataset.item = msg.id;
    li.dataset.testid = "space-item";
    li.setAttribute("data-testid", "space-item");
    if (msg.type === "card") {
      li.classList.add("yt-space-card");
      const card = el("a", "card border-primary-subtle text-decoration-none");
      card.href = safeUrl(msg.url);
      card.setAttribute("data-testid", "space-card");
      const body = el("div", "card-body p-2");
      body.appendChild(el("div", "small text-primary", (S.cards[msg.card] || msg.card)));
      body.appendChild(el("div", "fw-semibold", msg.title));
      body.appendChild(el("div", "small text-secondary", S.open + " ›"));
      card.appendChild(body);
      li.appendChild(card);
    } else {
      const head = el("div", "small text-secondary");
      head.appendChild(el("span", "", msg.name || ""));
      head.appendChild(el("span", "ms-2", time(msg.at)));
      li.appendChild(head);
      const bubble = el("div", "yt-space-bubble" + (msg.type === "notice" ? " yt-space-notice" : ""));
      if (msg.kind === "voice") {
        const audio = el("audio", "yt-space-audio");
        audio.controls = true;
        audio.preload = "none";
        audio.src = safeUrl(msg.url);
        bubble.appendChild(audio);
        bubble.appendChild(el("span", "small ms-1", (msg.duration_s || "") + "″"));
      } else if (msg.kind === "file") {
        const a = el("a", "", msg.filename || msg.text);
        a.href = safeUrl(msg.url);
        const icon = el("i", "bi bi-paperclip me-1");
        bubble.appendChild(icon);
        bubble.appendChild(a);
      } else {
        if (msg.type === "notice") bubble.appendChild(el("i", "bi bi-pin-angle me-1"));
        bubble.appendChild(document.createTextNode(msg.text));
      }
      li.appendChild(bubble);
      if (own) {
        const r = el("div", "small text-secondary yt-space-read");
        r.setAttribute("data-testid", "space-read");
        li.appendChild(r);
        mine.push([msg.seq, r]);
      }
    }
    log.appendChild(li);
    if (msg.seq && msg.seq > lastSeq) lastSeq = msg.seq;
    log.scrollTop = log.scrollHeight;
  }

  function updateReceipts() {
    for (const [seq, r] of mine) {
      let n = 0;
      for (const [uid, upto] of Object.entries(reads)) {
        if (Number(uid) !== cfg.me && upto >= seq) n += 1;
      }
      r.textContent = n ? S.read.replace("%(n)s", n) : "";
    }
  }

  function markRead() {
    if (ws && ws.readyState === WebSocket.OPEN && document.visibilityState === "visible" && lastSeq > (reads[cfg.me] || 0)) {
      reads[cfg.me] = lastSeq;
      ws.send(JSON.stringify({ type: "read", upto: lastSeq }));
    }
  }

  function setMember(uid, muted) {
    const row = document.querySelector(`[data-member="${uid}"] [data-muted-badge]`);
    if (row) row.classList.toggle("d-none", !muted);
  }

  function onMessage(msg) {
    switch (msg.type) {
      case "welcome":
        Object.assign(reads, Object.fromEntries(Object.entries(msg.reads || {}).map(([k, v]) => [k, v])));
        updateReceipts();
        if (msg.me && msg.me.muted) showError(S.muted);
        markRead();
        break;
      case "message":
      case "card":
      case "notice":
        render(msg);
        if (msg.type === "notice") {
          document.getElementById("space-pinned-text").textContent = msg.text;
          document.getElementById("space-pinned").classList.remove("d-none");
        }
        updateReceipts();
        markRead();
        break;
      case "read":
        reads[msg.user_id] = Math.max(reads[msg.user_id] || 0, msg.upto);
        updateReceipts();
        break;
      case "member":
        if (msg.removed) {
          const row = document.querySelector(`[data-member="${msg.user_id}"]`);
          if (row) row.remove();
        } else {
          setMember(msg.user_id, msg.muted);
          if (msg.user_id === cfg.me && msg.muted) showError(S.muted);
        }
        break;
      case "all_muted":
        document.getElementById("space-all-muted").classList.toggle("d-none", !msg.muted);
        break;
      case "removed":
        gone = true;
        window.location.reload(); // the page says why
        break;
      case "error":
        if (msg.code === "muted") showError(S.muted);
        else showError(msg.message || msg.code);
        break;
      default:
        break;
    }
  }

  function connect() {
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${proto}//${window.location.host}${cfg.wsPath}`);
    ws.addEventListener("open", () => { retry = 1000; });
    ws.addEventListener("message", (e) => onMessage(JSON.parse(e.data)));
    ws.addEventListener("close", (e) => {
      if (gone) return;
      if (e.code === 4403 || e.code === 4404) { window.location.reload(); return; }
      showError(S.disconnected);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: "message", text }));
    input.value = "";
  });

  function csrf() {
    const t = document.querySelector("input[name=csrfmiddlewaretoken]");
    return t ? t.value : "";
  }

  async function upload(blob, name, kind) {
    const data = new FormData();
    data.append("file", blob, name);
    data.append("kind", kind);
    const res = await fetch(cfg.uploadUrl, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) showError(body.message || body.code || res.status);
    else if (body.status === "refused") showError((body.problems || []).map((p) => p.message).join("；"));
  }

  const file = document.getElementById("space-file");
  file.addEventListener("change", () => {
    if (file.files.length) upload(file.files[0], file.files[0].name, "file");
    file.value = "";
  });

  // voice: tap to record, tap again to send; stops by itself at the limit
  const voice = document.getElementById("space-voice");
  let recorder = null;
  let stopTimer = null;
  voice.addEventListener("click", async () => {
    if (recorder) { recorder.stop(); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      showError(S.noMic);
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener("dataavailable", (e) => chunks.push(e.data));
    recorder.addEventListener("stop", () => {
      clearTimeout(stopTimer);
      stream.getTracks().forEach((t) => t.stop());
      voice.classList.remove("btn-danger");
      recorder = null;
      const type = chunks.length ? chunks[0].type : "audio/webm";
      upload(new Blob(chunks, { type }), "voice.webm", "voice");
    });
    recorder.start();
    voice.classList.add("btn-danger");
    showError(S.recording);
    stopTimer = setTimeout(() => recorder && recorder.stop(), (cfg.voiceMax - 1) * 1000);
  });

  document.addEventListener("visibilitychange", markRead);
  JSON.parse(document.getElementById("space-messages").textContent).forEach(render);
  connect();
})();
