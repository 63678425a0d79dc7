"""A live server and a real Chromium (Debian's, driven by Playwright) for the browser tests.

A pytest plugin (tests/conftest.py loads it), so every feature's browser tests share one Chromium: Playwright's
sync API allows one instance per thread.

`live_server` serves a fresh app on 127.0.0.1 with the shipped courses and labs synced and the demo data
loaded; `page` is a Chromium page. Without /usr/bin/chromium the tests are skipped locally, and fail in CI.
"""
import logging
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.extensions import db
from tests.conftest import base_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DEMO_PASSWORD = "officina-demo-2026"


class LiveServer:
    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request lines in the test output
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(base_config(tmp, BASE_URL="http://127.0.0.1", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        runner = app.test_cli_runner()
        result = runner.invoke(args=["content", "sync"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["demo", "--learners", "4"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def watch_errors(page):
    """The list that collects `page`'s script errors and CSP refusals from now on."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # 4xx pages are expected in some tests ("Failed to load resource"); CSP refusals and script errors are not.
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and errors.append(msg.text))
    return errors


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    context.close()
    # A CSP violation or a script error shows up here: the pages must run clean.
    assert not errors, errors


def sign_in(page, base_url, email, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def screenshot(tmp_path):
    """`screenshot(page, name, full_page=True)` saves `<name>.png` in the test's own temporary folder, or in
    LMS_SCREENSHOTS (kept for a person to look at) when set, and returns its path: never a fixed path that two
    test runs (or two xdist workers) would share."""
    folder = Path(os.environ["LMS_SCREENSHOTS"]) if os.environ.get("LMS_SCREENSHOTS") else tmp_path

    def take(page, name, full_page=True):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def in_browser(page):
    """`in_browser(steps)` runs `steps(page)` on the shared Chromium (the page checks for script errors)."""
    return lambda steps: steps(page)
