// The quiz page: autosave as the learner answers, a countdown that submits at zero, a confirmation before
// submitting. Without JavaScript the page still works: the buttons post the answers (the server asks to
// confirm) and the server enforces the time limit.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var saveUrl = form.getAttribute("data-autosave");
  var token = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var confirmed = document.getElementById("quiz-confirmed");
  var timers = {};
  var pending = 0;
  var submitting = false;

  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }

  // The answer of one question, in the JSON shape the server stores (see lms/quizzes/qtypes.py).
  function answerOf(fieldset) {
    var id = fieldset.getAttribute("data-question");
    var qtype = fieldset.getAttribute("data-qtype");
    var name = "q" + id;
    if (qtype === "match") {
      var pairs = {};
      fieldset.querySelectorAll("select[data-stem]").forEach(function (select) {
        if (select.value !== "") { pairs[select.getAttribute("data-stem")] = parseInt(select.value, 10); }
      });
      return pairs;
    }
    if (qtype === "multichoice") {
      var single = fieldset.getAttribute("data-single") === "1";
      var select = fieldset.querySelector("select[name='" + name + "']");
      if (select) { return select.value === "" ? null : parseInt(select.value, 10); }
      var picked = [];
      fieldset.querySelectorAll("input[name='" + name + "']:checked").forEach(function (input) {
        picked.push(parseInt(input.value, 10));
      });
      return single ? (picked.length ? picked[0] : null) : picked;
    }
    if (qtype === "truefalse") {
      var checked = fieldset.querySelector("input[name='" + name + "']:checked");
      return checked ? checked.value === "true" : null;
    }
    var input = fieldset.querySelector("[name='" + name + "']");
    return input ? input.value : null;
  }

  function isAnswered(fieldset) {
    var answer = answerOf(fieldset);
    if (answer === null || answer === "") { return false; }
    if (Array.isArray(answer)) { return answer.length > 0; }
    if (typeof answer === "object") { return Object.keys(answer).length > 0; }
    return true;
  }

  function mark(id, text, failed) {
    var el = form.querySelector("[data-saved-for='" + id + "']");
    if (el) {
      el.textContent = text;
      el.classList.toggle("quiz-saved-error", !!failed);
    }
  }

  // "4 of 6 answered": the server counts the other pages' answers, this page's are counted here.
  function answeredCount() {
    var progress = document.getElementById("quiz-progress");
    var count = progress ? parseInt(progress.getAttribute("data-elsewhere"), 10) || 0 : 0;
    form.querySelectorAll("fieldset[data-question][data-numbered]").forEach(function (fs) {
      if (isAnswered(fs)) { count += 1; }
    });
    return count;
  }

  function updateProgress() {
    var progress = document.getElementById("quiz-progress");
    if (progress) {
      progress.textContent = progress.getAttribute("data-template").replace("{done}", String(answeredCount()));
    }
  }

  function save(fieldset) {
    var id = fieldset.getAttribute("data-question");
    if (!saveUrl || submitting) { return; }
    pending += 1;
    mark(id, msg("saving"));
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ question_id: parseInt(id, 10), answer: answerOf(fieldset) })
    }).then(function (response) {
      pending -= 1;
      if (response.ok) {
        mark(id, msg("saved"));
        fieldset.setAttribute("data-saved", "1");
      } else {
        mark(id, msg("failed"), true);
        if (response.status === 409) { window.location.reload(); }  // submitted elsewhere or time is up
      }
    }).catch(function () {
      pending -= 1;
      mark(id, msg("failed"), true);
    });
  }

  function schedule(fieldset, delay) {
    var id = fieldset.getAttribute("data-question");
    clearTimeout(timers[id]);
    fieldset.removeAttribute("data-saved");
    timers[id] = setTimeout(function () { save(fieldset); }, delay);
  }

  form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    // Choices save at once; typing saves after a pause.
    fieldset.addEventListener("change", function () { schedule(fieldset, 150); updateProgress(); });
    fieldset.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], input:not([type]), textarea")) {
        schedule(fieldset, 800);
        updateProgress();
      }
    });
  });

  // Before submitting: ask (the server asks too when the script is missing), and carry every answer.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitting || (submitter && submitter.hasAttribute("formaction"))) { return; }
    var progress = document.getElementById("quiz-progress");
    var total = progress ? parseInt(progress.getAttribute("data-total"), 10) || 0 : 0;
    var answered = answeredCount();
    var text = msg("confirm");
    if (total && answered < total) {
      text = msg("unanswered").replace("{n}", String(total - answered)).replace("{total}", String(total)) + "\n" + text;
    }
    if (!window.confirm(text)) { event.preventDefault(); return; }
    confirmed.value = "1";
    submitting = true;
  });

  // The countdown: the server's remaining seconds at page load, counted down on this clock.
  var timer = document.getElementById("quiz-timer");
  if (timer) {
    var live = document.getElementById("quiz-timer-live");
    var clock = timer.querySelector(".quiz-clock");
    var endsAt = Date.now() + (parseInt(timer.getAttribute("data-remaining"), 10) || 0) * 1000;
    var announced = {};
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left <= 300) { timer.classList.add("quiz-timer-low"); }
      if (left <= 300 && left > 240 && !announced.five) { announced.five = true; live.textContent = timer.getAttribute("data-msg-five"); }
      if (left <= 60 && left > 0 && !announced.one) { announced.one = true; live.textContent = timer.getAttribute("data-msg-one"); }
      if (left === 0) {
        clearInterval(interval);
        if (!submitting) {
          live.textContent = timer.getAttribute("data-msg-up");
          submitting = true;
          confirmed.value = "1";
          form.submit();  // not requestSubmit(): no confirmation, time is up
        }
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }

  updateProgress();
  // Keep the learner from leaving while a save is on its way.
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0 && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
})();
