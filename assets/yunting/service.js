// 送达 pages (CSP: no inline script; behaviour hangs on data- attributes).
//   form[data-bulk-chunk]   the workbench's bulk SMS: posts the selected tasks in chunks and draws the progress
//   [data-signature-form]   direct service: a canvas the recipient signs on; its PNG goes into the hidden input
//                           (drawn at 2480x1240 so that the checked intake takes it like any scanned page)
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function bulk(form) {
    var size = Number(form.dataset.bulkChunk) || 20;
    var box = document.getElementById("bulk-progress");
    var bar = document.getElementById("bulk-bar");
    var status = document.getElementById("bulk-status");
    var errors = document.getElementById("bulk-errors");
    form.addEventListener("submit", function (event) {
      var ids = Array.prototype.map.call(form.querySelectorAll('input[name="task"]:checked'), function (b) { return b.value; });
      if (!ids.length || !window.fetch) return; // the server answers "choose at least one"; old browsers post at once
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      button.disabled = true;
      box.classList.remove("d-none");
      errors.textContent = "";
      var done = 0, sent = 0, failed = 0;
      function draw(finished) {
        var pct = Math.round(100 * done / ids.length);
        bar.dataset.width = pct;
        bar.style.width = pct + "%";
        bar.textContent = pct + "%";
        status.textContent = (finished ? status.dataset.doneLabel + " · " : "") + done + " / " + ids.length + " · " +
          status.dataset.sentLabel + " " + sent + " · " + status.dataset.failedLabel + " " + failed;
      }
      function next(start) {
        if (start >= ids.length) {
          draw(true);
          button.disabled = false;
          box.dataset.finished = "1";
          var refresh = document.createElement("a");
          refresh.href = window.location.href;
          refresh.className = "ms-2";
          refresh.dataset.testid = "bulk-refresh";
          refresh.textContent = status.dataset.refreshLabel;
          status.appendChild(refresh);
          return;
        }
        var body = new FormData();
        ids.slice(start, start + size).forEach(function (id) { body.append("task", id); });
        fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                            headers: {"X-CSRFToken": csrf(form), "Accept": "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (data) {
            sent += data.sent || 0;
            (data.failed || []).forEach(function (f) {
              failed += 1;
              var li = document.createElement("li");
              li.textContent = f.recipient + "：" + f.message;
              errors.appendChild(li);
            });
          })
          .catch(function () { failed += Math.min(size, ids.length - start); })
          .then(function () {
            done = Math.min(ids.length, start + size);
            draw(false);
            next(start + size);
          });
      }
      draw(false);
      next(0);
    });
  }

  function signature(form) {
    var pad = form.querySelector("[data-signature-pad]");
    var value = form.querySelector("[data-signature-value]");
    var submit = form.querySelector("[data-signature-submit]");
    var ctx = pad.getContext("2d");
    ctx.lineWidth = Math.max(4, pad.width / 150); ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";
    var drawing = false, inked = false;
    function at(e) {
      var r = pad.getBoundingClientRect();
      return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
    }
    pad.addEventListener("pointerdown", function (e) {
      drawing = true;
      pad.setPointerCapture(e.pointerId);
      var p = at(e);
      ctx.beginPath(); ctx.moveTo(p[0], p[1]);
    });
    pad.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      var p = at(e);
      ctx.lineTo(p[0], p[1]); ctx.stroke();
      inked = true;
      submit.disabled = false;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (t) {
      pad.addEventListener(t, function () { drawing = false; });
    });
    form.querySelector("[data-signature-clear]").addEventListener("click", function () {
      ctx.clearRect(0, 0, pad.width, pad.height);
      inked = false;
      submit.disabled = true;
      value.value = "";
    });
    form.addEventListener("submit", function (e) {
      var refusing = e.submitter && e.submitter.value === "refused";
      if (!refusing && !inked) { e.preventDefault(); return; }
      if (inked) value.value = pad.toDataURL("image/png");
    });
    pad.dataset.ready = "1"; // takes ink from here on
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk-chunk]").forEach(bulk);
    document.querySelectorAll("[data-signature-form]").forEach(signature);
  });
})();
