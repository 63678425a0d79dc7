"""Reading and authoring in a real browser: a learner enrols, reads and completes; a trainer edits with preview.

Runs against the shared live server (tests/browser_fixtures.py: shipped courses synced, demo accounts, CSRF on),
and fails on any script error or CSP refusal in the page.
"""
import re

import pytest

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

COURSE = "digital-hr"


@pytest.fixture
def first_module_without_quiz(live_server):
    """The shipped modules all have quizzes, which complete them; this test reads a module without one."""
    from lms.courses.models import Course
    from lms.dbtypes import utcnow
    from lms.extensions import db
    from lms.quizzes import store

    with live_server.app.app_context():
        course = db.session.query(Course).filter_by(slug=COURSE).one()
        quiz = store.get_quiz(course, course.live_modules[0])
        store.replace_questions(quiz, [], utcnow())
        db.session.commit()


def test_learner_enrols_reads_completes_and_resumes(live_server, first_module_without_quiz, in_browser, screenshot):
    in_browser(lambda page: _learner_steps(page, live_server.url, screenshot))


def _learner_steps(page, base, screenshot):
    from playwright.sync_api import expect

    sign_in(page, base, "learner@officina.example")
    page.goto(f"{base}/courses/?audience=hr")
    page.get_by_role("link", name="Digital HR", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital HR")

    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled in")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Course progress")).to_have_attribute("aria-valuenow", "0")

    syllabus = page.locator("#syllabus ol li a").first
    first_title = syllabus.inner_text()
    syllabus.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first_title)
    toc = page.get_by_role("navigation", name="On this page")
    expect(toc).to_be_visible()
    entry = toc.get_by_role("link").first
    anchor = entry.get_attribute("href")
    assert anchor.startswith("#") and page.locator(anchor).count() == 1  # the contents link to real headings
    expect(page.get_by_text(re.compile(r"Module 1 of \d+ · about \d+ min"))).to_be_visible()
    screenshot(page, "module_page", full_page=False)

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("You completed this module.")).to_be_visible()
    page.get_by_text("You completed this module.").scroll_into_view_if_needed()
    screenshot(page, "module_page_end", full_page=False)
    page.get_by_role("link", name=re.compile("^Next:")).click()  # open module 2: resume points there

    page.goto(f"{base}/courses/{COURSE}")
    bar = page.get_by_role("progressbar", name="Course progress")
    assert int(bar.get_attribute("aria-valuenow")) > 0
    assert bar.locator(".progress-bar").evaluate("el => el.getBoundingClientRect().width") > 0  # data-width applied
    resume = page.get_by_role("link", name=re.compile("^Resume: "))
    expect(resume).to_be_visible()
    screenshot(page, "course_page")
    resume.click()
    expect(page.get_by_text(re.compile(r"Module 2 of \d+"))).to_be_visible()

    page.goto(f"{base}/progress/me")
    expect(page.get_by_role("link", name="Digital HR")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Next: "))).to_be_visible()


def test_trainer_edits_with_live_preview_and_sees_the_revision(live_server, in_browser, screenshot):
    in_browser(lambda page: _trainer_steps(page, live_server.url, screenshot))


def _trainer_steps(page, base, screenshot):
    from playwright.sync_api import expect

    sign_in(page, base, "giulia.ferri@officina.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Authoring").click()
    page.get_by_role("link", name="Digitalization 101").click()
    page.locator("#modules tbody tr a.fw-semibold").first.click()

    body = page.get_by_label("Text (Markdown)")
    expect(body).to_be_visible()
    body.press("Control+End")
    body.press_sequentially("\n\n## Checked in the browser\n\nA sentence typed by the trainer.", delay=5)
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Checked in the browser")).to_be_visible()
    expect(page.locator("#preview-status")).to_have_text("Preview updated")
    screenshot(page, "editor", full_page=False)
    page.get_by_label("What changed").fill("Added a closing section")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Saved as revision \d+\."))).to_be_visible()
    number = re.search(r"revision (\d+)", page.get_by_text(re.compile(r"Saved as revision")).inner_text()).group(1)

    page.get_by_role("link", name="Revision history").click()
    row = page.get_by_role("row", name=re.compile("Added a closing section"))
    expect(row).to_contain_text("Giulia Ferri")
    expect(row).to_contain_text(number)
    row.get_by_role("link", name=re.compile("^Changes")).click()
    diff = page.locator("table.diff")
    expect(diff.locator("caption")).to_contain_text(f"to revision {number}")
    expect(diff.locator("tr.diff-add", has_text="A sentence typed by the trainer.")).to_be_visible()
    screenshot(page, "revision_diff", full_page=False)
