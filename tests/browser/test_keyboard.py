"""Every action with the keyboard alone: signing in, booking a lab seat, answering and submitting a quiz, saving in
the module editor, answering the maturity assessment. Only Tab, Shift+Tab, Enter, Space, the arrow keys and typing;
no clicks. Reading the page (which session has seats, where the focus is) is what a sighted keyboard user does too.
The browser's own confirmation dialogs are accepted as a keyboard user would with Enter."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# What has the focus: its tag, type, name attribute, id and accessible text (label, aria-label or content).
FOCUSED = """() => { const el = document.activeElement;
    const label = el.getAttribute('aria-label') || (el.labels && el.labels.length ? el.labels[0].textContent : '')
        || el.textContent || el.value || '';
    return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
            checked: !!el.checked, text: label.replace(/\\s+/g, ' ').trim(),
            inForm: el.form ? el.form.id : ''}; }"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit=250, key="Tab"):
    """Press Tab (or `key`) until the focused element satisfies `wanted(focused)`, which a text matches as the
    element's accessible text; fails with the trail of elements the focus went through."""
    matches = (lambda f: f["text"] == wanted) if isinstance(wanted, str) else wanted
    trail = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
        trail.append(f"{now['tag']}:{now['text'][:40]}")
    pytest.fail(f"{wanted!r} is not reachable with {key}; the focus went through: {trail[-30:]}")


def follow(page):
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def keyboard_sign_in(page, base, email):
    page.goto(f"{base}/login")
    tab_to(page, lambda f: f["type"] == "email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert focused(page)["type"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    follow(page)
    assert page.url == f"{base}/"


def test_booking_a_seat_with_the_keyboard(live_server, page):
    base = live_server.url
    keyboard_sign_in(page, base, "learner02@officina.example")
    page.goto(f"{base}/labs/sessions")
    for row in page.locator("main li.list-group-item", has_text=re.compile(r"\d+ seats? left")).all():
        title = row.get_by_role("link").first.inner_text()
        page.locator("body").focus()
        tab_to(page, title)
        follow(page)
        if page.get_by_role("button", name="Book a seat").count():
            break
        page.go_back()
    else:
        pytest.fail("no session with seats left could be booked")
    tab_to(page, "Book a seat")
    follow(page)
    expect(page.get_by_text("has a seat")).to_be_visible()
    # And back out again: the cancel button asks first, then the seat is free.
    page.on("dialog", lambda dialog: dialog.accept())
    tab_to(page, "Cancel my booking")
    follow(page)
    expect(page.get_by_text("The booking is cancelled.")).to_be_visible()


def _answer_with_keys(page):
    """Tab through the quiz form answering each control as it comes: Space picks a choice (a radio group is one
    tab stop, ArrowDown moves within it), ArrowDown picks an option of a list, typing fills a field. Stops on
    the submit button."""
    answered = set()
    for _ in range(300):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["id"] == "quiz-submit":
            return answered
        if now["inForm"] != "quiz-form" or not now["name"].startswith("q"):
            continue
        if now["type"] == "radio":
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")  # the next choice instead: arrows move and select in a group
        elif now["type"] == "checkbox":
            page.keyboard.press("Space")
        elif now["tag"] == "select":
            page.keyboard.press("ArrowDown")
        else:
            page.keyboard.type("42")
        answered.add(now["name"].split("_")[0])
    pytest.fail("the submit button was never reached with Tab")


def test_answering_and_submitting_a_quiz_with_the_keyboard(live_server, page):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit your answers?" — Enter on the browser's dialog
    keyboard_sign_in(page, base, "learner03@officina.example")
    page.goto(f"{base}/courses/digital-hr/why-digital-hr/quiz")
    if page.get_by_role("button", name="Enrol in this course").count():
        tab_to(page, "Enrol in this course")
        follow(page)
        page.goto(f"{base}/courses/digital-hr/why-digital-hr/quiz")
    tab_to(page, "Start the quiz")
    follow(page)
    assert re.search(r"/quiz/attempts/\d+$", page.url), page.url
    total = page.locator("fieldset[data-question][data-numbered]").count()
    answered = _answer_with_keys(page)
    assert len(answered) == total, (answered, total)
    expect(page.locator("#quiz-progress")).to_have_text(f"{total} of {total} answered")
    follow(page)
    page.wait_for_url(re.compile(r".*/result$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Your score: \d+"))).to_be_visible()
    expect(page.locator(".quiz-review .badge")).to_have_count(total)


def test_saving_in_the_module_editor_with_the_keyboard(live_server, page):
    base = live_server.url
    keyboard_sign_in(page, base, "giulia.ferri@officina.example")
    page.goto(f"{base}/authoring/digitalization-101/modules/digitalization-and-the-value-chain/edit")
    tab_to(page, lambda f: f["tag"] == "textarea" and f["text"].startswith("Text (Markdown)"))
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n## Typed without a mouse\n")
    expect(page.locator("#preview").get_by_role("heading", name="Typed without a mouse")).to_be_visible()
    page.keyboard.press("Tab")  # out of the text: Tab is not swallowed by the editor
    tab_to(page, lambda f: f["text"].startswith("What changed"))
    page.keyboard.type("A heading, by keyboard")
    page.keyboard.press("Shift+Tab")  # back into the preview (its last link, or the pane itself), and forward again
    assert page.evaluate("document.getElementById('preview').contains(document.activeElement)")
    page.keyboard.press("Tab")
    assert focused(page)["text"].startswith("What changed")
    tab_to(page, "Save")
    follow(page)
    expect(page.get_by_text(re.compile(r"Saved as revision \d+\."))).to_be_visible()
    tab_to(page, "Revision history")
    follow(page)
    expect(page.get_by_role("row", name=re.compile("A heading, by keyboard"))).to_be_visible()


def test_answering_the_maturity_assessment_with_the_keyboard(live_server, page):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # "Repeat the assessment?", "Submit your answers?"
    keyboard_sign_in(page, base, "manager@officina.example")
    tab_to(page, "Maturity check")
    follow(page)
    tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("Manage"))
    follow(page)
    tab_to(page, "Repeat the assessment")
    follow(page)
    page.wait_for_url("**/answer")
    groups = page.locator("#assessment-form fieldset.question").count()
    # Each question is one tab stop: Space takes level 0, and ArrowDown twice moves to level 2.
    for n in range(groups):
        now = tab_to(page, lambda f: f["type"] == "radio", limit=40)
        assert not now["checked"], (n, now)  # each Tab reached the next unanswered question
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
    expect(page.locator("#answered-count")).to_have_text(str(groups))
    expect(page.locator("#assessment-form")).to_have_attribute("data-state", "saved")
    assert page.locator("#assessment-form input[type=radio][value='2']:checked").count() == groups
    tab_to(page, "Submit my answers")
    follow(page)
    page.wait_for_url("**/result")
    expect(page.get_by_text("Stage 2 of 5")).to_be_visible()
