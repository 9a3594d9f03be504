// Hearings: the week plan's progress (polls the status until the scheduler is done, then reloads), and the live
// hearing stage on the case's hearings page (from the case journal's WebSocket: a stage change reloads the panel).
(function () {
  const box = document.querySelector("[data-plan-status]");
  if (box) {
    const bar = box.querySelector("[data-plan-bar]");
    const poll = function () {
      fetch(box.dataset.planStatus, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        if (bar) { bar.style.width = (s.progress || 0) + "%"; }
        if (s.status === "queued" || s.status === "running") { setTimeout(poll, 1000); } else { window.location.reload(); }
      }).catch(function () { setTimeout(poll, 3000); });
    };
    poll();
  }
  const page = document.querySelector("[data-testid=hearings-page]");
  if (page && "WebSocket" in window) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(scheme + "://" + window.location.host + "/ws/cases/" + page.dataset.case + "/");
    ws.onmessage = function (ev) {
      try {
        const entry = JSON.parse(ev.data);
        if (["hearing.stage_set", "hearing.confirmed", "hearing.rescheduled", "hearing.cancelled", "hearing.form_set"].indexOf(entry.kind) >= 0) { window.location.reload(); }
      } catch (e) { /* not ours */ }
    };
  }
})();
