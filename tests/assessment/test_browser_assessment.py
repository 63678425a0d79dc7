"""In a real browser: a company manager repeats the assessment, answers every question (autosaved by the page's
script), invites two colleagues who answer on their own, sees the team result with its chart and priorities,
starts the path with one click and downloads the PDF. Then every page at desktop and phone width, en and it."""
import pytest
from playwright.sync_api import expect

from lms.assessment.questionnaire import questionnaire
from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser


def _answer_all(page, level_of):
    for index, question in enumerate(questionnaire().questions):
        page.locator(f"label[for='q-{question.slug}-{level_of(index)}']").click()
    expect(page.locator("#answered-count")).to_have_text(str(len(questionnaire().questions)))
    expect(page.locator("#assessment-form")).to_have_attribute("data-state", "saved")  # every change stored
    expect(page.locator("#save-status")).to_contain_text("Saved")


def _submit(page):
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/result")


def _colleague_answers(browser, base, email, level_of):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before submitting
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base, email)
    page.get_by_role("link", name="Maturity check").first.click()
    page.get_by_role("link", name="Start answering").click()
    _answer_all(page, level_of)
    expect(page.locator("#assessment-form")).to_have_attribute("data-state", "saved")  # what the person sees
    page.reload()  # autosave kept everything
    expect(page.locator("#answered-count")).to_have_text("30")
    _submit(page)
    expect(page.get_by_role("heading", name="Level per dimension")).to_be_visible()
    context.close()
    assert not errors, errors


def test_manager_completes_invites_sees_team_result_starts_path_and_downloads_pdf(live_server, page, browser,
                                                                                   tmp_path):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # confirmations before repeating and submitting
    sign_in(page, base, "manager@officina.example")
    page.get_by_role("link", name="Maturity check").first.click()
    expect(page.get_by_role("region", name="Companies you manage")).to_contain_text("Meccanica Emiliana S.r.l. (demo)")
    page.get_by_role("link", name="Manage").first.click()
    # The demo company answered seven months ago: the manager repeats it to see the change.
    page.get_by_role("button", name="Repeat the assessment").click()
    page.wait_for_url("**/answer")
    _answer_all(page, lambda i: 3 if i % 5 else 4)
    _submit(page)
    expect(page.get_by_text("Stage 3 of 5")).to_be_visible()

    page.get_by_role("link", name="Meccanica Emiliana S.r.l. (demo)").click()
    for email, area in (("learner@officina.example", "production"), ("learner01@officina.example", "it")):
        page.get_by_label("Colleague's e-mail").fill(email)
        page.get_by_label("Area", exact=True).select_option(area)
        page.get_by_role("button", name="Invite", exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text("is invited")
    expect(page.get_by_role("cell", name="not started")).to_have_count(2)

    _colleague_answers(browser, base, "learner@officina.example", lambda i: 1 if i < 12 else 2)
    _colleague_answers(browser, base, "learner01@officina.example", lambda i: "dk" if i % 7 == 0 else 3)

    page.goto(page.url.rsplit("/", 1)[0] + "/" + page.url.rsplit("/", 1)[1] + "/result")
    expect(page.get_by_text("3 people answered")).to_be_visible()
    expect(page.locator("#radar-chart")).to_be_visible()
    assert page.evaluate("document.getElementById('radar-chart').width") > 100  # Chart.js drew it
    expect(page.get_by_role("heading", name="Priorities and the path that addresses them")).to_be_visible()
    expect(page.get_by_text("Compared with round 1")).to_be_visible()
    expect(page.get_by_text("Where people disagree")).to_be_visible()
    page.screenshot(path=str(tmp_path / "team-result.png"), full_page=True)

    page.get_by_label("Luca Bassi").check()
    page.get_by_role("button", name="Start this path").last.click()
    expect(page.locator(".alert-success")).to_contain_text("enrolments made")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF report").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf") and open(path, "rb").read(4) == b"%PDF"

    page.goto(f"{base}/progress/me")
    expect(page.locator("main")).to_contain_text("Digitalization 101")


def _pages_of(page, base, email, links):
    """Sign in as `email`, then follow each link text from the assessment index; yield a name per page."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("officina-demo-2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/assessment/")
    yield "index"
    for name, selector in links:
        page.goto(f"{base}/assessment/")
        page.locator(selector).first.click()
        page.wait_for_load_state()
        yield name


@pytest.mark.parametrize("locale, width", [("en-GB", 1280), ("it-IT", 1280), ("en-GB", 390), ("it-IT", 390)])
def test_assessment_pages_fit_the_screen(live_server, browser, tmp_path, locale, width):
    """No script error and nothing wider than the screen; the screenshots are for a person to look at."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and errors.append(msg.text))
    base = live_server.url
    visits = [("its@officina.example", [("centre", "a[href*='/assessment/centres/']")]),
              ("manager@officina.example", [("result", "a[href$='/result']"), ("overview", "a[href*='/companies/']")])]
    for email, links in visits:
        for name in _pages_of(page, base, email, links):
            page.wait_for_timeout(400)  # the charts' short animation
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (email, name, overflow)
            page.screenshot(path=str(tmp_path / f"{email.split('@')[0]}-{name}-{locale[:2]}-{width}.png"),
                            full_page=True)
    context.close()
    assert not errors, errors
