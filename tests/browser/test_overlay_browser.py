"""Finding 2 in Chromium: a bio carrying a transparent full-page link cannot hijack a click on the navbar,
and the footnote links of user content still jump to their note."""
import pytest

from lms.extensions import db

pytestmark = pytest.mark.browser

OVERLAY = ('<a href="https://attacker.example/" class="position-fixed top-0 start-0 w-100 h-100 opacity-0">'
           "cover</a>\n\nMy bio.[^1]\n\n[^1]: A note in the bio.")


def test_a_hostile_bio_does_not_capture_clicks_and_footnotes_work(live_server, page, screenshot):
    from playwright.sync_api import expect

    from lms.profiles.models import Profile

    with live_server.app.app_context():
        profile = db.session.scalar(db.select(Profile).where(Profile.slug == "giulia-ferri"))
        profile.bio = OVERLAY
        db.session.commit()
    base = live_server.url
    page.goto(f"{base}/people/giulia-ferri")
    cover = page.get_by_role("link", name="cover")
    assert cover.evaluate("el => getComputedStyle(el).position") == "static"
    page.get_by_role("link", name="1", exact=True).click()  # the footnote reference
    assert page.url.endswith("#user-content-fn:1")
    expect(page.locator("[id='user-content-fn:1']")).to_contain_text("A note in the bio.")
    screenshot(page, "overlay_bio")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    assert page.url.startswith(base)
