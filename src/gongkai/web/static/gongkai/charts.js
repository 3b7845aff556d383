// Draws the charts described by <script type="application/json" data-chart="…"> blocks (ECharts, served locally).
(function () {
  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var chart = echarts.init(el);
    var option;
    if (el.dataset.kind === "lines") {
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: spec.years },
        yAxis: { type: "value", name: "件" },
        series: spec.series.map(function (s) { return { name: s.label, type: "line", data: s.values, connectNulls: false }; })
      };
    } else {
      option = {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        grid: { left: 200, right: 40, top: 10, bottom: 30 },
        xAxis: { type: "value", max: 100, name: "%" },
        yAxis: { type: "category", data: spec.names.slice().reverse() },
        series: [{ name: spec.label, type: "bar", data: spec.values.slice().reverse(), itemStyle: { color: "#1f4e8c" } }]
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
