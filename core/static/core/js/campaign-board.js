// Moved out of campaigns/templates/campaigns/board.html (CSP: no inline scripts).
(function(){ var el=document.getElementById('board-map'); if(!window.echarts||!el) return;
 fetch(el.dataset.geo).then(r=>r.json()).then(function(geo){ echarts.registerMap('board', geo);
  var data = JSON.parse(JSON.parse(document.getElementById('map-data').textContent));
  echarts.init(el).setOption({tooltip:{}, series:[{type:'map', map:'board', data:data, label:{show:true}}]}); }).catch(function(){ el.remove(); });
})();
