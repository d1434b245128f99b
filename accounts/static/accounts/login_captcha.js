// Login form: "换一题" reloads the captcha image (a new challenge). External file: no inline script (CSP).
(function () {
  var button = document.getElementById("captcha-refresh");
  var img = document.getElementById("captcha-img");
  if (!button || !img) return;
  button.addEventListener("click", function () {
    img.src = img.src.split("?")[0] + "?" + Date.now();
  });
})();
