// Profile editing: the bio preview and the competence level selects (the CSP forbids inline script).
(function () {
  "use strict";
  // Preview: POST the bio to the server's renderer (the same sanitising render as the profile page).
  document.querySelectorAll("[data-preview-url]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-preview-source"));
    var target = document.getElementById(button.getAttribute("data-preview-target"));
    var token = button.form && button.form.querySelector("input[name=csrf_token]");
    if (!source || !target) { return; }
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", source.value);
      if (token) { body.append("csrf_token", token.value); }
      button.disabled = true;
      fetch(button.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) { target.innerHTML = html; })  // sanitised by the server
        .catch(function () { target.textContent = button.getAttribute("data-preview-error") || "Preview failed."; })
        .finally(function () { button.disabled = false; });
    });
  });
  // Choosing a level ticks its competence: nobody picks "expert" for a topic they did not mean to add.
  document.querySelectorAll("select[data-level-for]").forEach(function (select) {
    select.addEventListener("change", function () {
      var box = document.getElementById(select.getAttribute("data-level-for"));
      if (box) { box.checked = true; }
    });
  });
})();
