// The sessions calendar as a keyboard grid: one day cell is in the Tab order; arrow keys, Home/End and
// PageUp/PageDown move between days (the WAI-ARIA grid pattern). Links inside a day stay reachable with Tab.
(function () {
  "use strict";
  var grid = document.querySelector(".labs-calendar[role=grid]");
  if (!grid) { return; }
  var cells = Array.prototype.slice.call(grid.querySelectorAll("td[role=gridcell]"));
  function visible(cell) { return cell.offsetParent !== null; }
  function focusCell(index, step) {
    // On a phone, days without sessions are hidden: keep going the same way to the next shown day.
    while (index >= 0 && index < cells.length && !visible(cells[index])) { index += step > 0 ? 1 : -1; }
    if (index < 0 || index >= cells.length) { return; }
    cells.forEach(function (cell) { cell.setAttribute("tabindex", "-1"); });
    cells[index].setAttribute("tabindex", "0");
    cells[index].focus();
  }
  grid.addEventListener("keydown", function (event) {
    var cell = event.target.closest("td[role=gridcell]");
    if (!cell || event.target !== cell) { return; }
    var index = cells.indexOf(cell);
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (moves[event.key] !== undefined) {
      focusCell(index + moves[event.key], moves[event.key]);
    } else if (event.key === "Home") {
      focusCell(index - (index % 7), 1);
    } else if (event.key === "End") {
      focusCell(index - (index % 7) + 6, -1);
    } else if (event.key === "Enter") {
      var link = cell.querySelector("a");
      if (link) { link.focus(); }
    } else {
      return;
    }
    event.preventDefault();
  });
})();
