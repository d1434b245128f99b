// Moved out of risks/templates/risks/map.html (CSP: no inline scripts).
(function () {
  if (!window.echarts) return;  // the table beside the chart always works
  var d = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var chart = echarts.init(document.getElementById("risk-chart"));
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: d.levels.map(function (l) { return l[0]; })},
    xAxis: {type: "value"}, yAxis: {type: "category", data: d.regions},
    series: d.levels.map(function (l, i) { return {name: l[0], type: "bar", stack: "n", itemStyle: {color: l[1]}, data: d.series[i]}; })
  });
})();
