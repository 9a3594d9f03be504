// Records this participant's camera and microphone in the courtroom page and uploads each chunk as soon as
// MediaRecorder makes it, so a lost connection or a closed tab loses at most the chunk being made.
// The page includes it with <script src="{% static 'js/rooms-recorder.js' %}" defer></script> (the room comes from
// an element's data-recorder-room="{{ room.pk }}", or the courtroom page's #room-config); the page's own script
// hands over its local stream with
//   document.dispatchEvent(new CustomEvent("rooms:local-stream", {detail: {stream}}))
// and ends the recording with document.dispatchEvent(new Event("rooms:leave")).
(function () {
  "use strict";
  // the room: an element's data-recorder-room, else the courtroom page's own #room-config (roomId)
  const configNode = document.getElementById("room-config");
  const host = document.querySelector("[data-recorder-room]") || document.getElementById("yt-room");
  if (!host || typeof MediaRecorder === "undefined") return;
  const roomId = host.dataset.recorderRoom || (configNode ? JSON.parse(configNode.textContent).roomId : "");
  if (!roomId) return;
  const base = host.dataset.recorderBase || "/rooms-media/";
  const sliceMs = parseInt(host.dataset.recorderSliceMs || "4000", 10);
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  let recorder = null, session = null, seq = 0, queue = Promise.resolve();

  function pickType() {
    const types = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4", "audio/webm"];
    return types.find((t) => MediaRecorder.isTypeSupported(t)) || "";
  }

  async function post(url, body) {
    const resp = await fetch(url, {method: "POST", body, credentials: "same-origin",
      headers: {"X-CSRFToken": decodeURIComponent(csrf)}});
    if (!resp.ok) throw new Error("upload " + resp.status);
    return resp.json();
  }

  function upload(blob) {
    const n = seq++;
    // one after another, so chunk n is stored before n+1; a failed chunk is retried twice
    queue = queue.then(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try { await post(`${base}recordings/${session}/chunks/${n}`, blob); return; }
        catch (e) { await new Promise((r) => setTimeout(r, 1000 * (attempt + 1))); }
      }
      host.dataset.recorderLost = String(n);
    });
  }

  async function start(stream) {
    if (recorder) return;
    const made = await post(`${base}${roomId}/recordings/`, null);
    session = made.id;
    const type = pickType();
    recorder = new MediaRecorder(stream, type ? {mimeType: type} : undefined);
    recorder.addEventListener("dataavailable", (ev) => { if (ev.data && ev.data.size) upload(ev.data); });
    recorder.addEventListener("stop", () => {
      queue = queue.then(() => post(`${base}recordings/${session}/finish`, null)).catch(() => {});
    });
    recorder.start(sliceMs);
    host.dataset.recorderState = "recording";
  }

  document.addEventListener("rooms:local-stream", (ev) => { start(ev.detail.stream).catch(() => {}); });
  const stop = () => { if (recorder && recorder.state !== "inactive") recorder.stop(); };
  document.addEventListener("rooms:leave", stop);
  const leave = document.getElementById("leave");  // the courtroom page's own leave button
  if (leave) leave.addEventListener("click", stop);
})();
