// Officina 4.0 behaviour that inline scripts would otherwise do (the CSP forbids inline script).
(function () {
  "use strict";
  // Progress bars: widths come from data-width, because inline styles are refused by the CSP.
  document.querySelectorAll("[data-width]").forEach(function (el) {
    var value = Math.max(0, Math.min(100, parseFloat(el.getAttribute("data-width")) || 0));
    el.style.width = value + "%";
  });
  // Forms that ask for a confirmation first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // Auto-submit selects (filters) for people who use a mouse; the form still has a submit button.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A new course's address follows its title until the author types one of their own (the server fills an
  // empty one the same way).
  document.querySelectorAll("input[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!source) { return; }
    var typed = slug.value !== "";
    slug.addEventListener("input", function () { typed = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (typed) { return; }
      slug.value = source.value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 90).replace(/-+$/, "");
    });
  });
  // A table or code block wider than its box scrolls sideways: keyboard users reach it with Tab and scroll it with
  // the arrow keys (WCAG 2.1.1). Only boxes that scroll at this width become tab stops, named by their section.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive, [class*='table-responsive-'], .prose pre").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var section = box.closest("[aria-labelledby]");
        box.setAttribute("tabindex", "0");
        if (section) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        }
        box.setAttribute("data-scroll-stop", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-stop")) {
        ["tabindex", "role", "aria-labelledby", "data-scroll-stop"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  // Copy buttons.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (target && navigator.clipboard) { navigator.clipboard.writeText(target.value || target.textContent); }
      button.textContent = button.getAttribute("data-copied") || "Copied";
    });
  });
})();
