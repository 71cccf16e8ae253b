/* Trend and rank charts of one indicator; data from the json_script tag (no inline scripts, CSP). */
(function () {
  "use strict";
  function init() {
    var dataTag = document.getElementById("trend-data");
    if (!dataTag || !window.echarts) { return; }
    var d = JSON.parse(dataTag.textContent);
    var num = function (list) { return list.map(function (v) { return v === null ? null : Number(v); }); };
    var trend = echarts.init(document.getElementById("trend-chart"));
    trend.setOption({
      title: { text: d.name + "（" + d.unit + "）", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { top: 24, data: [d.county, "全市最好", "全市平均"] },
      grid: { left: 50, right: 16, top: 64, bottom: 40 },
      xAxis: { type: "category", data: d.periods },
      yAxis: { type: "value", scale: true },
      series: [
        { name: d.county, type: "line", data: num(d.own), lineStyle: { width: 3 }, connectNulls: false },
        { name: "全市最好", type: "line", data: num(d.best), lineStyle: { type: "dashed" } },
        { name: "全市平均", type: "line", data: num(d.average), lineStyle: { type: "dotted" } }
      ]
    });
    var rank = echarts.init(document.getElementById("rank-chart"));
    rank.setOption({
      title: { text: d.county + "全市位次", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 40, bottom: 40 },
      xAxis: { type: "category", data: d.periods },
      yAxis: { type: "value", inverse: true, min: 1, max: d.peers, minInterval: 1 },
      series: [{ name: "位次", type: "line", step: "middle", data: d.place }]
    });
    window.addEventListener("resize", function () { trend.resize(); rank.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
