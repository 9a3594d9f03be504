// The one signature pad (mediation agreements, witness oaths, shared-court confirmations, case-space receipts, payout
// records and hearing transcripts): draw with a finger or mouse; the PNG goes with the form. The canvas may name
// its submit button (data-submit, default "submit"); data-ready is set once the pad takes ink. The stroke scales with the canvas (a
// 1800-wide canvas, which the intake's document-size rule asks for, needs a thicker pen than a 600-wide one).
(function () {
  const pad = document.getElementById("pad");
  if (!pad) return;
  const ctx = pad.getContext("2d");
  const submit = document.getElementById(pad.dataset.submit || "submit");
  ctx.lineWidth = Math.max(4, Math.round(pad.width / 150)); ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";
  let drawing = false, inked = false;
  const at = (e) => { const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
  pad.addEventListener("pointerdown", (e) => { drawing = true; pad.setPointerCapture(e.pointerId);
    const [x, y] = at(e); ctx.beginPath(); ctx.moveTo(x, y); });
  pad.addEventListener("pointermove", (e) => { if (!drawing) return;
    const [x, y] = at(e); ctx.lineTo(x, y); ctx.stroke(); inked = true; submit.disabled = false; });
  ["pointerup", "pointercancel", "pointerleave"].forEach((t) => pad.addEventListener(t, () => { drawing = false; }));
  document.getElementById("clear").addEventListener("click", () => { ctx.clearRect(0, 0, pad.width, pad.height);
    inked = false; submit.disabled = true; });
  document.getElementById("sign-form").addEventListener("submit", (e) => {
    if (!inked) { e.preventDefault(); return; }
    document.getElementById("strokes").value = pad.toDataURL("image/png"); });
  pad.dataset.ready = "1";
})();
