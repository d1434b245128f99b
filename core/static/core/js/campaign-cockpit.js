// The committee office's cockpit (campaigns/templates/campaigns/cockpit.html). CSP: no inline scripts.
// Every chart has a table beside or below it; without ECharts the page still works.
(function () {
  var src = document.getElementById("cockpit-data");
  if (!window.echarts || !src) return;
  var d = JSON.parse(src.textContent);
  var charts = [];
  function go(params) { if (params && params.data && params.data.url) window.location.href = params.data.url; }
  function init(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }

  var mapEl = document.getElementById("cockpit-map");
  if (mapEl && d.map.url) {
    fetch(mapEl.dataset.geo).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("cockpit", geo);
      var c = init("cockpit-map");
      var names = d.map.data.map(function (x) { return x.name; });
      c.setOption({
        title: {text: d.title + "下级区域五色图", subtext: "颜色按五色规则；数值为逾期未改重大隐患（项）", left: "center", textStyle: {fontSize: 14}},
        tooltip: {trigger: "item", formatter: function (p) { return p.data ? p.name + "：" + p.data.colour + "，逾期" + p.data.value + "项" : p.name; }},
        series: [{type: "map", map: "cockpit", roam: false, top: 60, bottom: 10, selectedMode: false,
                  label: {show: true, fontSize: 10, formatter: function (p) { return names.indexOf(p.name) >= 0 ? p.name : ""; }},
                  itemStyle: {areaColor: "#eeeeee", borderColor: "#666"},
                  emphasis: {label: {show: true}, itemStyle: {borderWidth: 2}},
                  data: d.map.data}]
      });
      c.on("click", go);
      mapEl.dataset.ready = "1";
    }).catch(function () { mapEl.remove(); });
  }

  var rank = init("cockpit-ranking");
  if (rank && d.ranking.length) {
    var rows = d.ranking.slice().reverse();  // worst first at the top
    rank.setOption({
      title: {text: "逾期未改重大隐患排名", subtext: "单位：项", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      grid: {left: 8, right: 24, top: 56, bottom: 8, containLabel: true},
      xAxis: {type: "value", name: "项", minInterval: 1},
      yAxis: {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {width: 90, overflow: "truncate"}},
      series: [{type: "bar", name: "逾期（项）", data: rows.map(function (r) { return {value: r.overdue, url: r.url, itemStyle: {color: r.hex}}; })}]
    });
    rank.on("click", go);
  }

  var trend = init("cockpit-trend");
  if (trend && d.trend.length) {
    var weeks = d.trend.map(function (w) { return w.week.slice(5); });
    var leaf = !d.ranking.length;
    var series = [];
    if (!leaf) {
      d.order.forEach(function (c) {
        series.push({name: d.labels[c] + "（个）", type: "bar", stack: "colour", yAxisIndex: 0, itemStyle: {color: d.hex[c]},
                     data: d.trend.map(function (w) { return w[c]; })});
      });
    }
    series.push({name: "逾期（项）", type: "line", yAxisIndex: leaf ? 0 : 1, itemStyle: {color: "#7f1d1d"}, data: d.trend.map(function (w) { return w.overdue; })});
    series.push({name: "未整改（项）", type: "line", yAxisIndex: leaf ? 0 : 1, itemStyle: {color: "#334155"}, data: d.trend.map(function (w) { return w.open; })});
    var yAxis = leaf ? [{type: "value", name: "隐患（项）", minInterval: 1}]
                     : [{type: "value", name: "区域（个）", minInterval: 1}, {type: "value", name: "隐患（项）", minInterval: 1}];
    trend.setOption({
      title: {text: leaf ? "每周未整改和逾期重大隐患" : "每周五色分布与逾期重大隐患", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis"}, legend: {top: 24, type: "scroll"},
      grid: {left: 8, right: 8, top: 70, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: weeks, name: "周"}, yAxis: yAxis, series: series
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
