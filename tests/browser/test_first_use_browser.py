"""What a new user met on the first pages: the header's language switch is on every page."""
import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/courses/", "/courses/?q=maintenance&language=en", "/courses/digitalization-101", "/people/", "/login"]


@pytest.mark.parametrize("path", PAGES)
def test_the_header_offers_both_languages(live_server, page, path):
    page.goto(live_server.url + path)
    switch = page.get_by_role("navigation", name="Main").get_by_role("group", name="Language")
    assert switch.get_by_role("button", name="IT", exact=True).is_visible()
    assert switch.get_by_role("button", name="EN", exact=True).is_visible()


def test_the_catalogue_switches_to_italian_and_keeps_its_filters(live_server, page):
    page.goto(f"{live_server.url}/courses/?language=en")
    page.get_by_role("button", name="IT", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.url.endswith("/courses/?language=en")
    assert page.get_by_role("heading", name="Corsi", exact=True).is_visible()
