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
    } else if (el.dataset.kind === "mix") {
      // Each year's outcomes as shares of the year's cases (100% stacked); the tooltip gives the counts.
      var totals = spec.years.map(function (_, i) {
        return spec.series.reduce(function (sum, s) { return sum + (s.values[i] || 0); }, 0);
      });
      option = {
        tooltip: {
          trigger: "axis",
          formatter: function (items) {
            var i = items[0].dataIndex;
            return spec.years[i] + "年（共 " + totals[i] + " 件）<br>" + items.map(function (it) {
              return it.marker + it.seriesName + "：" + spec.series[it.seriesIndex].values[i] + " 件（" + it.value + "%）";
            }).join("<br>");
          }
        },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: spec.years },
        yAxis: { type: "value", max: 100, name: "%" },
        series: spec.series.map(function (s) {
          return {
            name: s.label, type: "bar", stack: "all",
            data: s.values.map(function (v, i) { return totals[i] ? Math.round(1000 * (v || 0) / totals[i]) / 10 : 0; })
          };
        })
      };
    } else if (el.dataset.kind === "histogram") {
      option = {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + " 个机关"; } },
        grid: { left: 50, right: 20, top: 36, bottom: 30 },
        xAxis: { type: "category", data: spec.bands },
        yAxis: { type: "value", name: "机关数", minInterval: 1 },
        series: [{ type: "bar", data: spec.values, barCategoryGap: "5%", itemStyle: { color: "#5b7fb3" } }]
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
