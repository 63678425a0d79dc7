"""axe-core over every page each role can reach: a crawler (tests/browser/crawl.py) starts at / signed in as a
learner, a trainer, a lab coordinator, a company manager, ITS staff and an admin (and as a visitor), follows the
links breadth-first and runs axe's WCAG 2.1 A/AA rules on each page, in English and Italian by turns. Any serious
or critical violation fails, and so does any form control without an accessible name, whatever axe's impact.

LMS_CRAWL_PAGES caps the pages per role (default 60: a role has 30-90 distinct pages on the demo data), which
keeps a role within about two minutes on a busy two-core machine (1-2 s a page at a load of 10)."""
import os

import pytest

from tests.browser.crawl import LINKS, crawl
from tests.browser_fixtures import sign_in, watch_errors

pytestmark = pytest.mark.browser

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
# A control without a name is a failure at any impact: a screen reader announces it as "edit text" or "button".
NAME_RULES = {"label", "select-name", "button-name", "input-button-name", "aria-input-field-name",
              "aria-toggle-field-name", "aria-command-name"}
ROLES = ["learner@officina.example", "giulia.ferri@officina.example", "coordinator@officina.example",
         "manager@officina.example", "its@officina.example", "admin@officina.example"]
LIMIT = int(os.environ.get("LMS_CRAWL_PAGES", "60"))


def _blocking(violations):
    return [v for v in violations if v["impact"] in ("serious", "critical") or v["id"] in NAME_RULES]


def _report(path, violations):
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            message = (node.get("any") or node.get("all") or [{}])[0].get("message", "")
            lines.append(f"{path}: {v['id']} ({v['impact']}) {node['target']} {message}")
    return lines


def _italian_twin(browser, page):
    """A second tab with the same sign-in whose browser asks for Italian (the demo accounts keep no language)."""
    context = browser.new_context(storage_state=page.context.storage_state(), locale="it-IT",
                                  viewport={"width": 1280, "height": 900})
    twin = context.new_page()
    return twin, watch_errors(twin)


def _crawl_with_axe(live_server, browser, page):
    axe = axe_playwright.Axe()
    twin, twin_errors = _italian_twin(browser, page)
    problems, count = [], [0]

    def visit(url):
        path = url[len(live_server.url):]
        tabs = (page, twin) if path == "/" else ((page, twin)[count[0] % 2],)
        count[0] += 1
        for tab in tabs:
            language = "it" if tab is twin else "en"
            response = tab.goto(url)
            if response.status >= 400:
                problems.append(f"{path} [{language}]: answers {response.status}, yet a page of this role links here")
                continue
            assert tab.evaluate("document.documentElement.lang") == language, path
            problems.extend(_report(f"{path} [{language}]", _blocking(axe.run(tab, options=WCAG).response["violations"])))
        return tabs[0].evaluate(LINKS)

    try:
        visited = crawl(live_server.app.url_map, live_server.url, visit, LIMIT)
    finally:
        twin.context.close()
    assert not twin_errors, twin_errors
    return visited, problems


@pytest.mark.parametrize("email", ROLES)
def test_every_page_a_role_reaches_passes_axe(live_server, browser, page, email):
    sign_in(page, live_server.url, email)
    visited, problems = _crawl_with_axe(live_server, browser, page)
    assert len(visited) >= 8, visited  # the crawl found the role's pages, not just the home page
    assert not problems, f"{len(visited)} pages crawled:\n" + "\n".join(problems)


def test_every_page_a_visitor_reaches_passes_axe(live_server, browser, page):
    visited, problems = _crawl_with_axe(live_server, browser, page)
    assert {"/courses/", "/login"} <= set(visited), visited
    assert not problems, f"{len(visited)} pages crawled:\n" + "\n".join(problems)


def test_a_table_that_scrolls_sideways_is_a_named_tab_stop_only_while_it_scrolls(live_server, browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "its@officina.example")
        page.goto(live_server.url + "/progress/cohorts")
        boxes = page.locator(".table-responsive")
        assert boxes.count() >= 2
        for box in boxes.all():
            assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # a phone is too narrow for them
            assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
            assert page.locator("#" + box.get_attribute("aria-labelledby")).inner_text()  # a section heading
        page.set_viewport_size({"width": 1920, "height": 900})
        page.wait_for_function("() => Array.from(document.querySelectorAll('.table-responsive'))"
                               ".some(el => !el.hasAttribute('tabindex'))")
        for box in boxes.all():
            assert (box.get_attribute("tabindex") == "0") == box.evaluate("el => el.scrollWidth > el.clientWidth + 1")
    finally:
        context.close()


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
