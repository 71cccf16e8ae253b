// The pipeline funnel: reads the counts from the json_script tag (CSP: no inline script).
// The table under the chart holds the same figures for screen readers and printing.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("funnel-chart");
    var data = document.getElementById("funnel-data");
    if (!el || !data || !window.echarts) { return; }
    var chart = JSON.parse(data.textContent);
    var items = chart.stages.map(function (name, i) { return { name: name, value: chart.counts[i] }; });
    var instance = window.echarts.init(el, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}：{c}个" },
      color: ["#b71c1c", "#c62828", "#d84315", "#ef6c00", "#f9a825", "#2e7d32", "#1565c0", "#4527a0"],
      series: [{
        type: "funnel", sort: "none", left: "5%", width: "90%", top: 10, bottom: 10,
        minSize: "12%", gap: 2, label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: items
      }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
