// Progress reports: two bar charts (Chart.js, vendored). No inline script: the figures come from data-chart.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var colour = "#0b4f6c";

  var draw = function (id, labels, values) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: canvas.getAttribute("data-label"), data: values, backgroundColor: colour }] },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  };

  var source = document.getElementById("chart-weeks");
  if (!source) { return; }
  var data = JSON.parse(source.getAttribute("data-chart"));
  draw("chart-weeks", data.weeks.map(function (w) { return w[0]; }), data.weeks.map(function (w) { return w[1]; }));
  var tenths = [];
  for (var i = 0; i < 10; i++) { tenths.push((i * 10) + "–" + (i === 9 ? 100 : i * 10 + 9) + "%"); }
  draw("chart-scores", tenths, data.scores);
}());
