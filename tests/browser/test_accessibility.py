"""axe-core on the main pages, as a learner, a trainer and an admin: no colour-contrast failure and no serious or
critical violation of WCAG 2 A/AA. The pages are those each role's navigation leads to, plus a few inside."""
import pytest

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
EXTRA = {
    "learner@officina.example": ["/courses/digitalization-101", "/courses/digitalization-101?role=technician",
                                 "/courses/?q=maintenance", "/settings"],
    "giulia.ferri@officina.example": ["/courses/digitalization-101", "/settings"],
    "admin@officina.example": ["/settings", "/admin/users/invite"],
}


def _blocking(violations):
    return [v for v in violations if v["id"] == "color-contrast" or v["impact"] in ("serious", "critical")]


def _report(path, violations):
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            message = (node.get("any") or node.get("all") or [{}])[0].get("message", "")
            lines.append(f"{path}: {v['id']} ({v['impact']}) {node['target']} {message}")
    return lines


def _pages(page, base, email):
    page.goto(base + "/")
    links = page.locator("nav[aria-label=Main] a[href^='/']:not([href='#'])")
    paths = {href for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    paths |= set(EXTRA[email])
    module = page.goto(base + "/courses/digitalization-101") and page.locator("a[href^='/courses/digitalization-101/']")
    if module.count():
        paths.add(module.first.get_attribute("href"))
    return sorted(paths)


@pytest.mark.parametrize("email", sorted(EXTRA))
def test_main_pages_pass_axe(live_server, page, email):
    sign_in(page, live_server.url, email)
    axe = axe_playwright.Axe()
    problems = []
    paths = _pages(page, live_server.url, email)
    assert len(paths) >= 6, paths
    for index, path in enumerate(paths):
        # Every page once, in English and Italian by turns (the home page in both): both languages' text
        # lengths and words are checked at half the cost.
        for language in (("en", "it") if path == "/" else (("en", "it")[index % 2],)):
            response = page.goto(live_server.url + path)
            assert response.status < 400, path
            if language == "it":
                page.get_by_role("button", name="IT", exact=True).click()
                page.wait_for_function("document.documentElement.lang === 'it'")
                page.wait_for_load_state("load")  # axe reads computed colours: the stylesheets must be in
            results = axe.run(page, options=WCAG)
            problems += _report(f"{path} [{language}]", _blocking(results.response["violations"]))
            if language == "it":
                page.get_by_role("button", name="EN", exact=True).click()
                page.wait_for_function("document.documentElement.lang === 'en'")
    assert not problems, "\n".join(problems)


def test_anonymous_pages_pass_axe(live_server, page):
    axe = axe_playwright.Axe()
    problems = []
    for path in ("/", "/courses/", "/login", "/password/forgot", "/people/"):
        page.goto(live_server.url + path)
        problems += _report(path, _blocking(axe.run(page, options=WCAG).response["violations"]))
    assert not problems, "\n".join(problems)


def test_the_focus_ring_is_visible(live_server, page):
    page.goto(live_server.url + "/courses/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link in the navbar
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                            "getComputedStyle(document.activeElement).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px")


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_window_even_with_every_menu_entry(live_server, browser, width):
    """An admin sees every feature's menu entry: on a laptop they wrap, on a phone they fold into the toggler."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "admin@officina.example")
        for path in ("/", "/courses/", "/admin/users/", "/admin/organisations/1", "/admin/organisations/2"):
            page.goto(live_server.url + path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} at {width}px is {overflow}px too wide"
            account = page.get_by_role("button", name="Alessandra Admin")
            if width > 900:
                box = account.bounding_box()
                assert box and box["x"] + box["width"] <= width, "the account menu is off the screen"
    finally:
        context.close()
