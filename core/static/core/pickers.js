// Search-as-you-type pickers (Tom Select, vendored) over the scoped JSON endpoints of core/pickers.py.
// <select data-picker="/pickers/hazards/" data-picker-depends="#id_enterprise" data-picker-params="open=1">
(function () {
  "use strict";
  function url(el, query) {
    var params = new URLSearchParams(el.getAttribute("data-picker-params") || "");
    params.set("q", query || "");
    var dep = el.getAttribute("data-picker-depends");
    if (dep) {
      var other = document.querySelector(dep);
      if (other && other.value) { params.set(other.name.replace(/^.*-/, ""), other.value); }
    }
    return el.getAttribute("data-picker") + "?" + params.toString();
  }
  function init(el) {
    if (el.tomselect || !window.TomSelect) { return; }
    var ts = new window.TomSelect(el, {
      valueField: "value", labelField: "text", searchField: [], optgroupField: "group",
      lockOptgroupOrder: true, preload: "focus", maxOptions: 50, loadThrottle: 250,
      placeholder: el.getAttribute("data-placeholder") || "输入名称或编号搜索",
      load: function (query, callback) {
        var self = this;
        fetch(url(el, query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            (data.results || []).forEach(function (row) {
              if (row.group && !self.optgroups[row.group]) { self.addOptionGroup(row.group, { label: row.group }); }
            });
            callback(data.results || []);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (row, escape) {
          return "<div><div>" + escape(row.text) + "</div>" +
            (row.hint ? "<div class=\"small text-muted\">" + escape(row.hint) + "</div>" : "") + "</div>";
        },
        item: function (row, escape) { return "<div>" + escape(row.text) + "</div>"; },
        no_results: function () { return "<div class=\"no-results\">没有找到，请换个关键词</div>"; },
        loading: function () { return "<div class=\"p-2 small text-muted\">正在搜索…</div>"; },
        optgroup_header: function (data, escape) { return "<div class=\"optgroup-header\">" + escape(data.label) + "</div>"; }
      }
    });
    var dep = el.getAttribute("data-picker-depends");
    var other = dep && document.querySelector(dep);
    if (other) {
      other.addEventListener("change", function () { ts.clear(); ts.clearOptions(); ts.clearOptionGroups(); });
    }
  }
  function scan(root) { (root || document).querySelectorAll("select[data-picker]").forEach(init); }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
})();
