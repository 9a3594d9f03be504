// Hearing transcript (issue 12): the clerk's autosaving editor and the participants' live view over
// /ws/hearings/<id>/transcript/ (only people admitted to the room, or signers once the review starts, receive it),
// plus the signature pad of the review page.
(function () {
  "use strict";
  const cfgNode = document.getElementById("transcript-config");
  if (!cfgNode) return;
  const cfg = cfgNode.dataset;
  const zh = (document.documentElement.lang || "zh").startsWith("zh");
  const T = zh
    ? {saving: "正在保存…", saved: "已保存（第 %n 次修订）", stale: "他人已保存了更新的文本，请刷新后再编辑。",
       failed: "保存失败，稍后自动重试：", updated: "笔录已更新，", reload: "点此刷新", waiting: "您尚未被准许进入庭审，笔录暂不可见。"}
    : {saving: "Saving…", saved: "Saved (revision %n)", stale: "Someone saved a newer text. Reload before editing.",
       failed: "Could not save; retrying: ", updated: "The transcript changed. ", reload: "Reload", waiting: "You have not been admitted to the hearing yet: the transcript is not shown."};
  const csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const editor = document.getElementById("transcript-text");
  const liveText = document.getElementById("live-text");
  const stage = document.getElementById("stage");
  const notice = document.getElementById("live-notice");
  const saveState = document.getElementById("save-state");

  function say(text, withReload) {
    if (!notice) return;
    notice.textContent = text;
    if (withReload) {
      const a = document.createElement("a");
      a.href = location.pathname; a.textContent = T.reload; notice.appendChild(a);
    }
    notice.classList.remove("d-none");
  }

  // --- live socket ------------------------------------------------------------------------------------------
  let tries = 0;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${cfg.ws}`);
    ws.onopen = () => { tries = 0; };
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.stage && stage) stage.textContent = msg.stage.label || stage.textContent;
      if (msg.type === "waiting") { say(T.waiting); if (liveText) liveText.textContent = ""; return; }
      if (msg.type === "snapshot" || msg.type === "transcript") {
        if (notice && msg.type === "snapshot") notice.classList.add("d-none");
        if (liveText && typeof msg.text === "string") liveText.textContent = msg.text;
        if (editor && msg.type === "transcript" && msg.revision > Number(editor.dataset.revision) && !dirty) {
          editor.value = msg.text; editor.dataset.revision = msg.revision;
        }
        if (msg.status && msg.status !== "drafting" && cfg.status === "drafting") say(T.updated, true);
      } else if (["review", "signoffs", "corrections", "pronounced"].includes(msg.type)) {
        if (cfg.role === "participant" && cfg.status !== "review") { location.reload(); return; }
        say(T.updated, true);
      }
    };
    ws.onclose = (event) => {
      if (event.code === 4404) return;
      tries += 1;
      setTimeout(connect, Math.min(10000, 500 * 2 ** tries));
    };
  }
  connect();

  // --- the clerk's editor: autosave, a revision per save ---------------------------------------------------------
  let dirty = false, timer = null, inflight = false;
  async function save() {
    if (!editor || inflight || !dirty) return;
    inflight = true; dirty = false;
    saveState.textContent = T.saving;
    try {
      const res = await fetch(cfg.api, {method: "PUT", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
        body: JSON.stringify({text: editor.value, base_revision: Number(editor.dataset.revision)})});
      const body = await res.json();
      if (res.ok) {
        editor.dataset.revision = body.revision;
        saveState.textContent = T.saved.replace("%n", body.revision);
      } else if (res.status === 409 && body.code === "transcript_stale") {
        saveState.textContent = T.stale;
      } else {
        dirty = true; saveState.textContent = T.failed + (body.message || res.status);
      }
    } catch (err) {
      dirty = true; saveState.textContent = T.failed + err;
    } finally {
      inflight = false;
      if (dirty) schedule(3000);
    }
  }
  function schedule(ms) { clearTimeout(timer); timer = setTimeout(save, ms); }
  if (editor) {
    editor.addEventListener("input", () => { dirty = true; schedule(800); });
    window.addEventListener("beforeunload", () => { if (dirty) save(); });
  }
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-suggestion]");
    if (!button) return;
    await fetch(`${cfg.api}/suggestions/${button.dataset.suggestion}`, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({accept: button.dataset.accept === "1"})});
    location.reload();
  });
})();
