// Moved out of hazards/templates/hazards/register.html (CSP: no inline scripts).
(function () {
  var sel = document.querySelector('select[name=enterprise]:not([disabled])');
  if (sel) sel.addEventListener('change', function () { window.location.search = '?enterprise=' + encodeURIComponent(sel.value); });
})();
