// The filing form: a party row shows the identifier of its kind (ID number for a natural person, unified social
// credit code for a legal person or other organisation); the other one is hidden and not sent on by the server.
(function () {
  function sync(select) {
    const row = select.closest("[data-party-row]");
    if (!row) return;
    row.querySelectorAll("[data-kind-show]").forEach(function (box) {
      box.hidden = box.dataset.kindShow.split(" ").indexOf(select.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-party-kind]")) sync(event.target);
  });
  // a new case type changes which causes fit: refresh the suggestions and re-check the cause typed
  document.addEventListener("change", function (event) {
    if (event.target.id !== "case_type") return;
    const cause = document.getElementById("cause");
    if (cause && window.htmx) window.htmx.trigger(cause, "input");
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-party-kind]").forEach(sync);
    const problems = document.getElementById("problems");
    if (problems) problems.focus();
  });
})();
