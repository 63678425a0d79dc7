// The module editor: live preview and image upload (the CSP forbids inline script, so it lives here).
// The preview HTML comes from the server's one render-and-sanitise function, never from a browser-side renderer.
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-preview-url]");
  if (!textarea) { return; }
  var form = textarea.form;
  var preview = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  var uploadForm = document.getElementById("image-upload-form");
  var uploadStatus = document.getElementById("upload-status");
  var DELAY = 400; // ms after the last keystroke
  var timer = null;
  var sent = 0; // sequence number: an older, slower answer never replaces a newer one
  var shown = 0;
  var lastText = textarea.value;

  function csrfToken() {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function say(el, text) { if (el) { el.textContent = text; } }

  function refresh() {
    var number = ++sent;
    var body = new FormData();
    body.append("body", textarea.value);
    body.append("csrf_token", csrfToken());
    say(status, textarea.getAttribute("data-updating") || "Updating…");
    fetch(textarea.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (number < shown) { return; }
      shown = number;
      preview.innerHTML = html; // sanitised by the server (lms.render.render)
      say(status, textarea.getAttribute("data-updated") || "Preview updated");
    }).catch(function () {
      say(status, textarea.getAttribute("data-failed") || "The preview could not be updated; your text is safe.");
    });
  }

  textarea.addEventListener("input", function () {
    if (textarea.value === lastText) { return; }
    lastText = textarea.value;
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  });

  // Leaving with unsaved changes asks first.
  var saved = textarea.value;
  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && textarea.value !== saved) { event.preventDefault(); event.returnValue = ""; }
  });

  function insertAtCursor(text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start), after = textarea.value.slice(end);
    var prefix = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    var suffix = after.startsWith("\n") ? "\n" : "\n\n";
    textarea.value = before + prefix + text + suffix + after;
    var caret = (before + prefix + text).length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input"));
  }

  if (uploadForm) {
    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(uploadForm);
      say(uploadStatus, uploadForm.getAttribute("data-uploading") || "Uploading…");
      fetch(uploadForm.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      }).then(function (result) {
        if (!result.ok) { say(uploadStatus, result.json.error || "Upload failed."); return; }
        insertAtCursor(result.json.markdown);
        uploadForm.reset();
        say(uploadStatus, (uploadForm.getAttribute("data-done") || "Inserted:") + " " + result.json.markdown);
      }).catch(function () {
        say(uploadStatus, uploadForm.getAttribute("data-failed") || "Upload failed; try again.");
      });
    });
  }
})();
