// The town ranking bar chart: reads the figures from the json_script tag (CSP: no inline script).
// The table beside the chart holds the same figures for screen readers and printing.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("ranking-chart");
    var data = document.getElementById("ranking-data");
    if (!el || !data || !window.echarts) { return; }
    var chart = JSON.parse(data.textContent);
    var instance = window.echarts.init(el, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true, data: chart.towns },
      series: [{ type: "bar", data: chart.scores.map(Number), itemStyle: { color: "#b71c1c" },
                 label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
