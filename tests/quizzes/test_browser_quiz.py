"""A learner takes a module quiz in a real browser: enrols, answers (autosaved), reloads and finds the answers,
submits, sees the feedback, tries again.

Runs against the shared live server (tests/browser_fixtures.py: shipped courses synced, demo accounts, CSRF on)
and fails on any script error or CSP refusal.
"""
import re

import pytest

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

COURSE, MODULE = "digital-hr", "hr-analytics-data-and-indicators"


def answer_everything(page):
    """Answer every question on the page (the first choice, 42, the first option...); the state, per field."""
    for fieldset in page.locator("fieldset[data-question]").all():
        qtype = fieldset.get_attribute("data-qtype")
        if qtype in ("multichoice", "truefalse") and fieldset.locator("input[type=radio], input[type=checkbox]").count():
            fieldset.locator("input[type=radio], input[type=checkbox]").first.check()
        elif qtype in ("shortanswer", "numerical", "essay") or fieldset.locator("input.quiz-short").count():
            fieldset.locator("input.form-control, textarea").first.fill("42")
        for select in fieldset.locator("select").all():
            select.select_option(index=1)
    return form_state(page)


def form_state(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '#quiz-form input, #quiz-form select, #quiz-form textarea')).filter(el => el.name && el.name.startsWith('q')).map(el =>
        el.name + '=' + ((el.type === 'radio' || el.type === 'checkbox') ? (el.checked ? el.value : '-') : el.value))""")


def test_a_learner_takes_a_quiz_reloads_submits_sees_feedback_and_retries(in_browser, live_server, screenshot):
    base = live_server.url
    quiz_url = f"{base}/courses/{COURSE}/{MODULE}/quiz"
    shots = []

    def steps(page):
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, base, "learner01@officina.example")
        page.goto(quiz_url)
        assert "3 attempts" in page.locator("#quiz-settings").inner_text()
        if page.get_by_role("button", name="Enrol in this course").count():
            page.get_by_role("button", name="Enrol in this course").click()
            page.goto(quiz_url)
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url(re.compile(r".*/quiz/attempts/\d+$"))
        attempt_url = page.url
        assert page.locator("fieldset[data-question]").count() == 9

        state = answer_everything(page)
        # Every question shows "Saved" once the autosave answered.
        page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-saved-for]'))
            .every(el => el.textContent.trim() === 'Saved')""", timeout=15000)
        assert page.locator("#quiz-progress").inner_text() == "9 of 9 answered"
        shots.append(screenshot(page, "quiz_page"))

        page.reload()
        assert form_state(page) == state  # the answers came back from the server
        assert page.locator("#quiz-progress").inner_text() == "9 of 9 answered"

        page.get_by_role("button", name="Submit answers").click()
        page.wait_for_url(re.compile(r".*/quiz/attempts/\d+/result$"))
        assert page.get_by_role("heading", name=re.compile(r"Your score: \d+")).is_visible()
        screenshot(page, "quiz_result")
        badges = page.locator(".quiz-review .badge").all_inner_texts()
        assert len(badges) == 9 and all(re.fullmatch(r"Right|Wrong|Partly right \(\d+%\)", b) for b in badges), badges
        assert page.locator(".quiz-feedback").count() >= 9  # per-answer or general feedback on every question
        if "Wrong" in badges:
            assert page.get_by_text(re.compile(r"Right answers?:")).first.is_visible()

        page.get_by_role("button", name="Try again").click()
        page.wait_for_url(re.compile(r".*/quiz/attempts/\d+$"))
        assert page.url != attempt_url
        assert page.get_by_text("Attempt 2").first.is_visible()
        assert page.locator("#quiz-progress").inner_text() == "0 of 9 answered"
        page.goto(quiz_url)
        assert page.get_by_role("link", name="Resume attempt 2").first.is_visible()
        assert page.get_by_role("link", name="Review attempt 1").is_visible()

    in_browser(steps)
    assert shots and shots[0].stat().st_size > 10_000


def test_the_countdown_announces_and_submits_when_time_is_up(in_browser, live_server):
    from datetime import timedelta

    from lms.dbtypes import utcnow
    from lms.extensions import db
    from lms.quizzes.models import Attempt

    base = live_server.url
    quiz_url = f"{base}/courses/{COURSE}/building-an-hr-dashboard/quiz"

    def steps(page):
        sign_in(page, base, "learner02@officina.example")
        page.goto(quiz_url)
        if page.get_by_role("button", name="Enrol in this course").count():
            page.get_by_role("button", name="Enrol in this course").click()
            page.goto(quiz_url)
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url(re.compile(r".*/quiz/attempts/\d+$"))
        attempt_id = int(page.url.rsplit("/", 1)[1])
        # The quiz has no time limit: give this attempt one that ends in a few seconds.
        with live_server.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            attempt.deadline_at = utcnow() + timedelta(seconds=6)
            db.session.commit()
            db.session.remove()
        page.reload()
        assert page.locator("#quiz-timer").is_visible()
        page.locator("fieldset[data-question] input[type=radio]").first.check()
        page.wait_for_selector("[data-saved-for]:has-text('Saved')")
        page.wait_for_function("document.getElementById('quiz-timer-live').textContent.includes('1 minute left')")
        page.wait_for_url(re.compile(rf".*/quiz/attempts/{attempt_id}/result$"), timeout=20000)
        assert page.get_by_role("heading", name=re.compile(r"Your score: \d+")).is_visible()
        with live_server.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.state == "submitted" and len(attempt.responses) == 1
            db.session.remove()

    in_browser(steps)
