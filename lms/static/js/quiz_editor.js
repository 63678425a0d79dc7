// The question editor: "More answers" adds empty answer rows in place (without JavaScript the same button
// asks the server for a page with more rows). The CSP forbids inline script, so it lives here.
(function () {
  "use strict";
  var INDEX = /(^|\s)answers-\d+-/g;

  function renumber(row, index) {
    ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
      row.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, el.getAttribute(attr).replace(INDEX, "$1answers-" + index + "-"));
      });
    });
    var number = row.querySelector("[data-row-number]");
    if (number) { number.textContent = String(index + 1); }
  }

  function clear(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; } else { el.value = ""; }
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
    // A copied error message belongs to the row it came from.
    row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
  }

  document.querySelectorAll("[data-add-rows]").forEach(function (button) {
    var list = document.getElementById(button.getAttribute("data-add-rows"));
    var status = button.parentNode.querySelector("[data-rows-status]");
    if (!list) { return; }
    button.addEventListener("click", function (event) {
      var rows = list.querySelectorAll("[data-row]");
      if (!rows.length) { return; } // let the server add them
      event.preventDefault();
      var template = rows[rows.length - 1];
      var count = parseInt(button.getAttribute("data-count"), 10) || 3;
      var first = null;
      for (var i = 0; i < count; i++) {
        var row = template.cloneNode(true);
        renumber(row, list.querySelectorAll("[data-row]").length);
        clear(row);
        list.appendChild(row);
        first = first || row;
      }
      var input = first.querySelector("textarea, input:not([type=hidden])");
      if (input) { input.focus(); }
      if (status) { status.textContent = button.getAttribute("data-added") || ""; }
    });
  });

  // After a failed save, take keyboard and screen-reader users to the list of problems.
  var problems = document.getElementById("form-problems");
  if (problems) { problems.focus(); }
})();
