"""Settings as a person uses them: a new API token is shown once and leaves the profile untouched."""
import pytest

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser


def test_creating_a_token_then_saving_the_profile_keeps_the_name(live_server, page):
    sign_in(page, live_server.url, "coordinator@officina.example")
    page.goto(f"{live_server.url}/settings")
    page.get_by_label("Token name").fill("ITS reporting script")
    page.get_by_role("button", name="Create a token").click()
    page.wait_for_url(f"{live_server.url}/settings#h-tokens")
    assert page.get_by_label("New token").input_value().startswith("lms_")
    assert page.get_by_label("Name", exact=True).input_value() == "Carlo Coordinatore"
    page.reload()  # a GET: the page is still there, and the token is not shown again
    assert page.get_by_label("New token").count() == 0
    page.get_by_role("button", name="IT", exact=True).click()  # the language switch works on it too
    assert page.get_by_role("heading", name="Impostazioni").is_visible()
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("navigation", name="Main").get_by_text("Carlo Coordinatore").is_visible()
