"""The labs journey in a real browser: a coordinator publishes a session, learners fill it and the waitlist,
one cancels, the next is promoted and e-mailed (an .eml with an .ics that parses), attendance is marked.
Then screenshots of the pages (desktop and a 390px phone, English and Italian) for a person to look at."""
import email
import os
import re
from datetime import timedelta
from email import policy
from pathlib import Path

import icalendar
import pytest

from lms.dbtypes import utcnow
from lms.labs.times import zone
from tests.browser_fixtures import CHROMIUM_ARGS, sign_in  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LMS_SCREENSHOTS", "")) if os.environ.get("LMS_SCREENSHOTS") else None


def _as(page, base, address):
    page.context.clear_cookies()
    sign_in(page, base, address)


def _shot(page, name, tmp_path):
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_publish_fill_cancel_promote_attend(live_server, page, tmp_path):
    from playwright.sync_api import expect

    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    _as(page, base, "coordinator@officina.example")
    page.goto(f"{base}/labs/sessions/new?lab=cobot-cell")
    # Starting in 40 minutes, so that attendance (from an hour before) can be marked in this test.
    start = (utcnow() + timedelta(minutes=40)).astimezone(zone("Europe/Rome"))
    end = min(start + timedelta(hours=1), start.replace(hour=23, minute=59))  # the form's end is on the same day
    page.get_by_label("Title", exact=True).fill("Cobot safety walk-through")
    page.get_by_label("Demo topic", exact=True).fill("Human–robot collaboration")
    page.get_by_label("Date", exact=True).fill(start.date().isoformat())
    page.get_by_label("Starts at", exact=True).fill(start.strftime("%H:%M"))
    page.get_by_label("Ends at", exact=True).fill(end.strftime("%H:%M"))
    page.get_by_label("Seats", exact=True).fill("2")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cobot safety walk-through")
    session_url = page.url

    for n in (1, 2, 3, 4):
        _as(page, base, f"learner0{n}@officina.example")
        page.goto(session_url)
        page.get_by_role("button", name=re.compile("Book a seat|Join the waitlist")).click()
        expected = "has a seat" if n <= 2 else f"number {n - 2} on the waitlist"
        expect(page.get_by_text(expected)).to_be_visible()
    _shot(page, "session-waitlisted-en", tmp_path)

    _as(page, base, "learner01@officina.example")
    page.goto(f"{base}/labs/my-bookings")
    page.get_by_role("button", name=re.compile("Cancel")).first.click()
    expect(page.get_by_text("The booking is cancelled.")).to_be_visible()

    # learner03 was first in line: confirmed and e-mailed with an invitation that a calendar imports.
    outbox = Path(live_server.app.config["OUTBOX_DIR"])
    mails = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.glob("*.eml")]
    promoted = [m for m in mails if m["Subject"].startswith("A seat is yours")]
    assert [m["To"] for m in promoted] == ["learner03@officina.example"]
    [ics] = [p for p in promoted[0].iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    assert cal["METHOD"] == "REQUEST" and str(cal.walk("VEVENT")[0]["SUMMARY"]).startswith("Cobot safety")

    _as(page, base, "learner04@officina.example")
    page.goto(session_url)
    expect(page.get_by_text("You are number 1 in line")).to_be_visible()

    _as(page, base, "coordinator@officina.example")
    page.goto(session_url)
    bookings = page.locator("#bookings")
    bookings.get_by_role("button", name="Attended").first.click()
    page.locator("#bookings").get_by_role("button", name="No-show").last.click()
    table = page.locator("#bookings table")
    expect(table).to_contain_text("attended")
    expect(table).to_contain_text("no-show")
    _shot(page, "session-coordinator-en", tmp_path)


@pytest.mark.parametrize("locale, width", [("en-GB", 1280), ("it-IT", 1280), ("en-GB", 390), ("it-IT", 390)])
def test_pages_look_right(live_server, browser, tmp_path, locale, width):
    """No script error, nothing wider than the screen; the screenshots are for a person to look at."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    base = live_server.url
    sign_in_label = "Accedi" if locale.startswith("it") else "Sign in"
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill("coordinator@officina.example")
    page.locator("input[name=password]").fill("officina-demo-2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    assert sign_in_label  # the form is found by name, in either language
    tag = f"{locale[:2]}-{width}"
    for name, path in (("index", "/labs/"), ("lab", "/labs/cobot-cell"), ("calendar", "/labs/calendar"),
                       ("week", "/labs/calendar?view=week"), ("list", "/labs/sessions"),
                       ("coordination", "/labs/coordination"), ("new", "/labs/sessions/new"),
                       ("my-bookings", "/labs/my-bookings")):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        _shot(page, f"{name}-{tag}", tmp_path)
    if width < 576:  # on a phone the grid is a list of the days with sessions; arrows are for the grid
        context.close()
        assert not errors, errors
        return
    page.goto(f"{base}/labs/calendar")
    page.locator("td[role=gridcell][tabindex='0']").focus()
    before = page.evaluate("document.activeElement.dataset.day")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("document.activeElement.dataset.day")
    assert before != after and after > before
    context.close()
    assert not errors, errors
