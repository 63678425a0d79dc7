// The self-assessment: autosave of answers, and the result's charts (Chart.js, vendored). No inline script:
// the URLs, texts and chart figures come from data attributes.
(function () {
  "use strict";

  var form = document.getElementById("assessment-form");
  if (form) {
    var token = (form.querySelector("input[name=csrf_token]") || {}).value || "";
    var status = document.getElementById("save-status");
    var counter = document.getElementById("answered-count");
    var pending = {};
    var timer = null;

    var submitButton = form.querySelector("[data-confirm-submit]");
    if (submitButton) {
      submitButton.addEventListener("click", function (event) {
        if (!window.confirm(submitButton.getAttribute("data-confirm-submit"))) { event.preventDefault(); }
      });
    }

    var countAnswered = function () {
      var names = {};
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) { names[input.name] = true; });
      return Object.keys(names).length;
    };

    var inFlight = false;
    // One request at a time, each carrying every change made meanwhile, so answers never arrive out of order.
    // data-state on the form says "saving" until everything is stored, then "saved" (or "error").
    var setState = function (state, text) {
      form.setAttribute("data-state", state);
      if (status && text !== undefined) { status.textContent = text; }
    };
    var send = function (keepalive) {
      timer = null;
      // As the page goes away, what changed during a save in flight goes too, rather than waiting for it.
      if ((inFlight && !keepalive) || !Object.keys(pending).length) { return; }
      var answers = pending;
      pending = {};
      inFlight = true;
      fetch(form.getAttribute("data-autosave"), {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,  // a save started as the page goes away still completes
        headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
        body: JSON.stringify({ answers: answers })
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (data) {
        inFlight = false;
        if (Object.keys(pending).length) { send(); return; }
        if (counter) { counter.textContent = data.answered; }
        setState("saved", form.getAttribute("data-saved-text") + " · " + new Date().toLocaleTimeString());
      }).catch(function () {
        inFlight = false;
        Object.keys(answers).forEach(function (k) { if (!(k in pending)) { pending[k] = answers[k]; } });
        setState("error", form.getAttribute("data-error-text"));
      });
    };

    if (form.hasAttribute("data-autosave")) {
      form.addEventListener("change", function (event) {
        var input = event.target;
        if (input.type !== "radio" || input.name.indexOf("q-") !== 0) { return; }
        pending[input.name.slice(2)] = input.value;
        setState("saving");
        if (counter) { counter.textContent = countAnswered(); }
        if (timer) { clearTimeout(timer); }
        timer = setTimeout(send, 400);  // several quick clicks make one request
      });
      window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); } send(true); });
    }
  }

  if (typeof window.Chart === "undefined") { return; }
  var COLORS = { team: "#0b4f6c", baseline: "#8a94a0", peers: "#b35900" };
  var fill = { team: "rgba(11,79,108,.18)", baseline: "rgba(138,148,160,.08)", peers: "rgba(179,89,0,.06)" };

  var datasets = function (data, bar) {
    return data.series.map(function (s) {
      return {
        label: s.label, data: s.data, borderColor: COLORS[s.kind], pointBackgroundColor: COLORS[s.kind],
        backgroundColor: bar ? COLORS[s.kind] : fill[s.kind], borderWidth: s.kind === "team" ? 2.5 : 1.5,
        borderDash: s.kind === "team" || bar ? [] : [5, 4], spanGaps: false
      };
    });
  };

  var narrow = window.matchMedia("(max-width: 576px)").matches;
  window.Chart.defaults.animation.duration = 300;
  var radar = document.getElementById("radar-chart");
  if (radar) {
    var data = JSON.parse(radar.getAttribute("data-chart"));
    new window.Chart(radar, {
      type: "radar",
      data: { labels: data.labels, datasets: datasets(data, false) },
      options: {
        maintainAspectRatio: false,
        scales: { r: { min: 0, max: data.max, ticks: { stepSize: 1, backdropColor: "transparent" },
                       pointLabels: { font: { size: narrow ? 10 : 12 } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  var bars = document.getElementById("bar-chart");
  if (bars) {
    var barData = JSON.parse(bars.getAttribute("data-chart"));
    new window.Chart(bars, {
      type: "bar",
      data: { labels: barData.labels, datasets: datasets(barData, true) },
      options: {
        indexAxis: "y", maintainAspectRatio: false,
        scales: { x: { min: 0, max: barData.max, ticks: { stepSize: 1 } } },
        plugins: { legend: { display: barData.series.length > 1, position: "bottom" } }
      }
    });
  }
})();
