// Confirmation step for irreversible actions: any <form data-confirm="…"> (or a submit button with
// data-confirm) asks first in an accessible Bootstrap modal that states the consequence.
// No inline script (CSP); the modal markup lives in base.html (#confirm-modal).
(function () {
  "use strict";
  var pending = null;

  function modal() {
    var el = document.getElementById("confirm-modal");
    return el && window.bootstrap ? { el: el, m: window.bootstrap.Modal.getOrCreateInstance(el) } : null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var text = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!text || form.dataset.confirmed === "1") { return; }
    var box = modal();
    if (!box) { if (!window.confirm(text)) { event.preventDefault(); } return; }
    event.preventDefault();
    pending = { form: form, submitter: submitter };
    box.el.querySelector("[data-confirm-text]").textContent = text;
    var title = (submitter && submitter.getAttribute("data-confirm-title")) || form.getAttribute("data-confirm-title");
    box.el.querySelector("[data-confirm-title]").textContent = title || "请确认";
    box.m.show();
  }, true);

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-confirm-ok]") || !pending) { return; }
    var p = pending;
    pending = null;
    p.form.dataset.confirmed = "1";
    var box = modal();
    if (box) { box.m.hide(); }
    if (p.form.requestSubmit) { p.form.requestSubmit(p.submitter || undefined); } else { p.form.submit(); }
    p.form.dataset.confirmed = "";
  });

  document.addEventListener("shown.bs.modal", function (event) {
    if (event.target.id === "confirm-modal") {
      var ok = event.target.querySelector("[data-confirm-ok]");
      if (ok) { ok.focus(); }
    }
  });
})();
