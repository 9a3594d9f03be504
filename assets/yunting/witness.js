// The witness's own panel on the room page: follows the witness's stage (polled; nothing of the hearing is in it),
// shows the step to do (identity again, the oath on the shared signature pad), and the oath full-screen when the judge asks for it read aloud.
(function () {
  const panel = document.getElementById("witness-panel");
  if (!panel) return;
  const stageLabel = document.getElementById("witness-stage");
  const full = document.getElementById("oath-full");
  let state = JSON.parse(document.getElementById("witness-state").textContent);
  let seenReadAloud = state.read_aloud_at;

  function step(s) {
    if (s.stage === "called") return s.needs_second_check ? "verify" : (s.oath_signed ? "signed" : "oath");
    return s.stage === "not_invited" ? "waiting" : s.stage;
  }
  function render(s) {
    const current = step(s);
    panel.dataset.stage = s.stage;
    panel.dataset.step = current;
    if (s.stage_label) stageLabel.textContent = s.stage_label;
    panel.querySelectorAll("[data-witness-show]").forEach((el) => {
      el.classList.toggle("d-none", el.dataset.witnessShow !== current);
    });
    if (s.read_aloud_at && s.read_aloud_at !== seenReadAloud) {
      seenReadAloud = s.read_aloud_at;
      full.classList.remove("d-none");
    }
  }
  document.getElementById("oath-full-close").addEventListener("click", () => full.classList.add("d-none"));

  async function poll() {
    try {
      const r = await fetch(panel.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const s = await r.json();
      if (r.status === 404 || s.gone) { render({ stage: "dismissed" }); return; }
      const before = step(state);
      state = s;
      render(s);
      if (before !== step(s) && step(s) === "verify") window.scrollTo(0, 0);
    } catch (e) { /* offline for a moment: try again */ }
    setTimeout(poll, 2000);
  }
  render(state);
  setTimeout(poll, 2000);
  // the oath's signature pad is the shared one (signature-pad.js), loaded beside this script
})();
