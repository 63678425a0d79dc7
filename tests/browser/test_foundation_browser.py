"""The foundation as a person uses it: sign in with each demo role and see what that role can do."""
import pytest

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

ROLE_NAV = {
    "learner@officina.example": {"Courses", "My learning"},
    "giulia.ferri@officina.example": {"Courses", "Authoring"},
    "admin@officina.example": {"Courses", "Admin"},
}


@pytest.mark.parametrize("email", sorted(ROLE_NAV))
def test_each_role_signs_in_and_sees_its_navigation(live_server, page, email):
    sign_in(page, live_server.url, email)
    nav = page.get_by_role("navigation", name="Main")
    for label in ROLE_NAV[email]:
        assert nav.get_by_text(label, exact=True).first.is_visible()
    if email != "admin@officina.example":
        assert nav.get_by_text("Admin", exact=True).count() == 0


def test_sign_out_and_language_switch(live_server, page):
    sign_in(page, live_server.url, "learner@officina.example")
    page.get_by_role("button", name="IT", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "it"
    page.get_by_role("button", name="EN", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Luca Bassi").or_(page.get_by_text("Luca Bassi")).first.click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").is_visible()


def test_admin_creates_an_organisation_and_sees_a_csv_error(live_server, page, tmp_path, screenshot):
    sign_in(page, live_server.url, "admin@officina.example")
    page.goto(f"{live_server.url}/admin/organisations/new")
    page.get_by_label("Name").fill("Ceramiche di Sassuolo (test)")
    page.get_by_label("Kind").select_option("company")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Ceramiche di Sassuolo (test)").is_visible()
    bad = tmp_path / "people.csv"
    bad.write_text("email,name,role,cohort\nok@example.com,Ok Person,learner,\nnot-an-email,Broken,learner,\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_text("line 3: Not a valid e-mail address").is_visible()
    assert page.get_by_text("Nothing has been imported").is_visible()
    screenshot(page, "admin_enrol_error")
