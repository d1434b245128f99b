// Small page actions declared with data-action="…" (CSP: no inline event handlers).
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-action]");
  if (!el) return;
  if (el.dataset.action === "print") {
    window.print();
  } else if (el.dataset.action === "refresh-captcha") {
    var img = document.getElementById("captcha-img");
    if (img) img.src = "/public/tips/captcha.png?" + Date.now();
  }
});
