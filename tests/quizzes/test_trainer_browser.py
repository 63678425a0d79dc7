"""The trainer's quiz pages in a real browser: import Moodle's example GIFT file, read the question list, edit a
multiple-choice question through its form (the "More answers" button included), preview the quiz as a learner.

A live server of its own (a small course, one trainer, CSRF on) so the test does not depend on the shipped
content; it fails on any script error or CSP refusal.
"""
import re
from pathlib import Path

import pytest

from lms import create_app
from lms.auth import accounts
from lms.extensions import db
from lms.quizzes import gift
from tests.browser_fixtures import LiveServer
from tests.conftest import PASSWORD, base_config
from tests.courses.reading_factories import make_course

pytestmark = pytest.mark.browser

MOODLE_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gift" / "moodle_examples.gift.txt"
TRAINER = "tina@example.com"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quiz-live")
    app = create_app(base_config(tmp, BASE_URL="http://127.0.0.1", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        accounts.create_user(TRAINER, "Tina Trainer", roles=("trainer",), password=PASSWORD)
        make_course(slug="digital-basics", title="Digital basics", trainers=[TRAINER], modules=2)
        db.session.remove()
    live = LiveServer(app).start()
    yield live
    live.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(not MOODLE_EXAMPLES.exists(), reason="Moodle's GIFT examples are missing")
def test_trainer_imports_edits_and_previews(server, in_browser, screenshot):
    expected = gift.parse(MOODLE_EXAMPLES.read_text(encoding="utf-8"))
    base = server.url

    def steps(page):
        page.goto(f"{base}/login")
        page.get_by_label("E-mail").fill(TRAINER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")

        # The course's quizzes: none yet; create the first module's.
        page.goto(f"{base}/authoring/quizzes/digital-basics/")
        page.get_by_role("button", name="Create the quiz — 1. Module 1").click()
        page.get_by_text("Module 1 — quiz” created").wait_for()

        # Import Moodle's examples: a preview of every question, then the import.
        page.get_by_role("link", name="Import GIFT").first.click()
        page.get_by_label("GIFT file").set_input_files(str(MOODLE_EXAMPLES))
        page.get_by_role("button", name="Check the questions").click()
        page.get_by_role("heading", name=f"{len(expected)} questions found").wait_for()
        shown = page.locator("#import-list td[data-qtype]").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-qtype'))")
        assert shown == [q.qtype for q in expected]
        page.get_by_role("button", name="Import the questions").click()
        page.get_by_text(f"Imported: {len(expected)} questions appended.").wait_for()
        cards = page.locator("li.card[id^=q-]")
        assert cards.count() == len(expected)
        assert cards.nth(1).get_by_text("Missing word (multiple choice)").is_visible()

        # Edit the first question (multiple choice) through its form, with one more answer row from the button.
        cards.first.get_by_role("link", name=re.compile("^Edit")).click()
        page.get_by_role("heading", name=re.compile("Edit “Who's buried")).wait_for()
        assert page.locator("[data-row]").count() == 6
        page.locator("#answers-0-text").fill("Ulysses S. Grant")
        page.get_by_role("button", name="More answers").click()
        assert page.locator("[data-row]").count() == 9
        assert page.locator("[data-row-number]").last.inner_text() == "9"
        page.locator("#answers-8-text").fill("Julia Grant")
        page.locator("#answers-8-weight").fill("0")
        page.locator("#answers-8-feedback").fill("His wife lies there too.")
        page.get_by_role("button", name="Save the question").click()
        page.get_by_text("Question “Who's buried in Grant's tomb?” saved.").wait_for()
        first = page.locator("li.card[id^=q-]").first
        assert first.get_by_text("Ulysses S. Grant").is_visible() and first.get_by_text("Julia Grant").is_visible()
        assert first.get_by_text("His wife lies there too.").is_visible()

        # A bad weight: the problem shows next to the field, and the typed text stays.
        first.get_by_role("link", name=re.compile("^Edit")).click()
        page.locator("#answers-1-weight").fill("lots")
        page.get_by_role("button", name="Save the question").click()
        page.locator("#answers-1-weight-error").get_by_text("“lots” is not a number.").wait_for()
        assert page.locator("#answers-1-weight").input_value() == "lots"
        page.get_by_role("link", name="Cancel").click()

        # Preview as a learner: answer the first question right, check, read the feedback; nothing is saved.
        page.get_by_role("link", name="Preview as a learner").click()
        page.locator("fieldset.quiz-question").first.get_by_label("no one").check()
        page.get_by_role("button", name="Check answers").click()
        page.locator("#preview-score").wait_for()
        assert page.locator("[data-outcome]").first.get_by_text("Right", exact=True).is_visible()
        assert page.locator("fieldset.quiz-question").first.get_by_label("no one").is_checked()
        screenshot(page, "quiz_trainer", full_page=False)
        page.goto(f"{base}/authoring/quizzes/digital-basics/")
        assert page.locator("tbody tr").first.locator("td").nth(2).inner_text() == "0"  # no attempt recorded

    in_browser(steps)
