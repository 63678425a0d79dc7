"""Profiles in a real Chromium: a visitor finds a digital-twin teacher in two clicks; a trainer edits their profile.

Runs against the shared live server of tests/browser_fixtures.py (shipped courses synced, demo data, CSRF on).
"""

import pytest

from tests.browser_fixtures import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def in_browser(browser):
    """`in_browser(steps)` runs `steps(browser)` on the shared Chromium."""
    return lambda steps: steps(browser)


def watch_errors(page) -> list[str]:
    """Script errors and CSP refusals of the page (4xx resource loads are expected in some flows)."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and errors.append(msg.text))
    return errors


def test_a_visitor_finds_a_digital_twin_teacher_in_two_clicks(live_server, in_browser, screenshot):
    base = live_server.url

    def steps(browser):
        from playwright.sync_api import expect

        page = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
        errors = watch_errors(page)
        page.goto(base + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()  # click 1
        expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
        page.get_by_role("link", name="Digital twin").click()  # click 2
        expect(page.get_by_role("heading", name="2 people for “Digital twin”")).to_be_visible()
        card = page.locator("article[data-profile=giulia-ferri]")
        expect(card).to_contain_text("Giulia Ferri")
        expect(card).to_contain_text("Digital twin")
        expect(page.locator("article[data-profile=elena-ricci]")).to_contain_text("ITS teacher")
        expect(page.locator("article[data-profile=paolo-marchetti]")).to_have_count(0)  # HR, not digital twin
        # Giulia is the expert: listed first.
        assert page.locator("article[data-profile]").first.get_attribute("data-profile") == "giulia-ferri"

        card.get_by_role("link", name="Giulia Ferri").click()
        expect(page.get_by_role("heading", level=1, name="Giulia Ferri")).to_be_visible()
        expect(page.locator("[data-group=industry40]")).to_contain_text("Digital twin")
        expect(page.locator("[data-group=industry40]")).to_contain_text("(expert)")
        expect(page.get_by_role("heading", name="Courses I teach")).to_be_visible()
        expect(page.get_by_role("link", name="Digitalization 101")).to_be_visible()  # from courses/ (synced)
        screenshot(page, "profile_page")
        assert errors == []

    in_browser(steps)


def test_a_trainer_edits_headline_and_competences_and_sees_them_on_the_public_page(live_server, in_browser):
    base = live_server.url

    def steps(browser):
        from playwright.sync_api import expect

        page = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
        errors = watch_errors(page)
        page.goto(base + "/login")
        page.get_by_label("E-mail").fill("paolo.marchetti@officina.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Paolo Marchetti").or_(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Paolo Marchetti")).click()
        page.get_by_role("link", name="My profile").click()
        expect(page.get_by_role("heading", level=1, name="Edit your profile")).to_be_visible()

        page.get_by_label("Headline").fill("People analytics for manufacturers")
        page.get_by_role("checkbox", name="Digital skills assessment", exact=True).check()
        page.get_by_label("Level for Digital skills assessment").select_option("expert")
        page.get_by_role("checkbox", name="Change management", exact=True).uncheck()
        page.get_by_label("Other topics you can teach").fill("Welfare aziendale")
        page.get_by_label("About you").fill("I build **people dashboards** with HR offices.")
        page.get_by_role("button", name="Preview").click()  # a CSRF-checked POST from profiles.js
        expect(page.locator("#bio-preview strong")).to_have_text("people dashboards")
        page.get_by_label("Everyone, also people without an account").check()
        page.get_by_role("button", name="Save profile").click()

        expect(page.get_by_text("Your profile is saved.")).to_be_visible()
        expect(page.get_by_role("heading", level=1, name="Paolo Marchetti")).to_be_visible()
        assert errors == []

        visitor = browser.new_context(locale="en-GB").new_page()  # not signed in
        visitor.goto(base + "/people/paolo-marchetti")
        expect(visitor.locator("[data-headline]")).to_have_text("People analytics for manufacturers")
        hr = visitor.locator("[data-group=hr]")
        expect(hr).to_contain_text("Digital skills assessment (expert)")
        expect(hr).not_to_contain_text("Change management")
        expect(visitor.locator("[data-group=free]")).to_contain_text("welfare aziendale")
        expect(visitor.locator("#profile-bio strong")).to_have_text("people dashboards")

    in_browser(steps)
