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


def test_the_csv_preview_survives_a_reload_and_a_language_switch(live_server, page, tmp_path):
    from tests.browser_fixtures import sign_in

    sign_in(page, live_server.url, "admin@officina.example")
    page.goto(f"{live_server.url}/admin/organisations/")
    page.get_by_role("link", name="Fondazione ITS Meccatronica (demo)").click()
    good = tmp_path / "people.csv"
    good.write_text("email,name,role,cohort\nprg.one@example.com,Prg One,learner,PRG 2026\n")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_text("1 person will be enrolled.").is_visible()
    preview_url = page.url
    assert "/enrol/preview/" in preview_url
    assert page.reload().status == 200
    assert page.get_by_text("1 person will be enrolled.").is_visible()
    page.get_by_role("button", name="IT", exact=True).click()
    assert page.url == preview_url and page.locator("html").get_attribute("lang") == "it"
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_role("button", name="Import these people").click()
    assert page.get_by_text("Imported 1 person").is_visible()



def test_a_new_courses_address_follows_its_title(live_server, page):
    from tests.browser_fixtures import sign_in

    sign_in(page, live_server.url, "giulia.ferri@officina.example")
    page.goto(f"{live_server.url}/authoring/new")
    page.get_by_label("Title").fill("Robot collaborativi in reparto")
    assert page.get_by_label("Address").input_value() == "robot-collaborativi-in-reparto"
    page.get_by_role("button", name="Create the course").click()
    page.wait_for_url(f"{live_server.url}/authoring/robot-collaborativi-in-reparto/modules/new")
