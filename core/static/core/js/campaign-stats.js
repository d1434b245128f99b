// Moved out of campaigns/templates/campaigns/stats.html (CSP: no inline scripts).
(function(){ if (!window.echarts) return; var d = JSON.parse(JSON.parse(document.getElementById('chart-data').textContent));
 echarts.init(document.getElementById('chart-region')).setOption({tooltip:{}, legend:{}, xAxis:{type:'category', data:d.by_region.map(r=>r.region)}, yAxis:{}, series:[{name:'发现',type:'bar',data:d.by_region.map(r=>r.found)},{name:'已整改',type:'bar',data:d.by_region.map(r=>r.rectified)},{name:'逾期',type:'bar',data:d.by_region.map(r=>r.overdue)}]});
 echarts.init(document.getElementById('chart-channel')).setOption({tooltip:{}, series:[{type:'pie',data:d.by_channel.map(r=>({name:r.label||r.channel,value:r.found}))}]});
 echarts.init(document.getElementById('chart-trend')).setOption({tooltip:{}, legend:{}, xAxis:{type:'category',data:d.trend.map(r=>r.week)}, yAxis:{}, series:[{name:'新发现',type:'line',data:d.trend.map(r=>r.found)},{name:'已整改',type:'line',data:d.trend.map(r=>r.rectified)}]});
})();
