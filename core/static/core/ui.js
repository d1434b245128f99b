// Small page helpers (no inline script, CSP). Chinese file pickers: every <input type=file> gets a "选择文件" button and the chosen file names
// beside it, whatever the browser's language. The native input stays in the form (and in tests).
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.enhanced) { return; }
    input.dataset.enhanced = "1";
    var group = document.createElement("div");
    group.className = "input-group qingling-file";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
    var name = document.createElement("span");
    name.className = "form-control text-truncate text-muted";
    name.setAttribute("aria-live", "polite");
    name.textContent = "未选择文件";
    input.parentNode.insertBefore(group, input);
    group.appendChild(button);
    group.appendChild(name);
    group.appendChild(input);
    input.classList.add("visually-hidden");
    input.tabIndex = -1;
    if (input.id) { button.setAttribute("aria-describedby", input.id); }
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      name.textContent = files.length ? files.join("、") : "未选择文件";
      name.classList.toggle("text-muted", !files.length);
    });
  }
  function scan(root) {
    (root || document).querySelectorAll("input[type=file]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
})();

// The last breadcrumb names the page: its title, unless the page wrote its own crumb.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var crumb = document.querySelector("[data-crumb-from-title]");
  var title = document.title.split(" · ")[0];
  if (crumb && crumb.textContent.trim() === "当前页面" && title) { crumb.textContent = title; }
});

// Charts follow the window: a phone turned sideways (or a narrowed window) must not leave an
// ECharts canvas wider than the page.
window.addEventListener('resize', function () {
  if (!window.echarts) return;
  document.querySelectorAll('[_echarts_instance_]').forEach(function (el) {
    var chart = window.echarts.getInstanceByDom(el);
    if (chart) chart.resize();
  });
});

// An off-canvas panel (the lists' 筛选 on a phone) moves the focus onto itself when its slide ends
// (Bootstrap's focus trap): a field tapped while it slides would lose the focus, and the keyboard
// with it. The field focused during the slide gets the focus back.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".offcanvas, .offcanvas-sm, .offcanvas-md, .offcanvas-lg, .offcanvas-xl, .offcanvas-xxl").forEach(function (panel) {
    var tapped = null;
    panel.addEventListener("show.bs.offcanvas", function () { tapped = null; });
    panel.addEventListener("focusin", function (e) { if (e.target !== panel && panel.classList.contains("showing")) { tapped = e.target; } });
    panel.addEventListener("shown.bs.offcanvas", function () {
      if (tapped && document.activeElement !== tapped && panel.contains(tapped)) { tapped.focus(); }
      tapped = null;
    });
  });
});
