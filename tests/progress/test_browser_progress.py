"""The reports in a real browser, on the demo data: an ITS coordinator opens the dashboard, filters a cohort and
exports XLSX; a learner downloads a certificate whose code verifies. Then screenshots of the pages (desktop and a
390px phone, English and Italian) for a person to look at (LMS_SCREENSHOTS=<folder> keeps them)."""
import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser_fixtures import CHROMIUM_ARGS, sign_in  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ["LMS_SCREENSHOTS"]) if os.environ.get("LMS_SCREENSHOTS") else None


def _complete_a_course(app, email):
    """Make sure `email` has completed digitalization-101 (modules marked, final quiz passed) and so holds its
    certificate, as the demo's random population may not give one to a given learner."""
    from sqlalchemy import select

    from lms.auth.models import User
    from lms.courses import enrolment
    from lms.courses.models import Course
    from lms.dbtypes import utcnow
    from lms.extensions import db
    from lms.progress import completion
    from lms.quizzes.models import Attempt, Quiz

    with app.app_context():
        user = User.by_email(email)
        course = db.session.scalar(select(Course).where(Course.slug == "digitalization-101"))
        now = utcnow()
        enrolment.enrol(user, course, now=now)
        for module in course.live_modules:
            enrolment.mark_complete(user, module, now)
        final = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.key == "final"))
        if final is not None:
            number = 1 + len(db.session.scalars(select(Attempt.id).where(Attempt.user_id == user.id,
                                                                         Attempt.quiz_id == final.id)).all())
            db.session.add(Attempt(quiz_id=final.id, user_id=user.id, number=number, state="submitted",
                                   started_at=now, submitted_at=now, score=0.9, passed=True, layout={}))
            db.session.flush()
        completion.record(user, course, now)
        db.session.commit()
        db.session.remove()


def _as(page, base, address):
    page.context.clear_cookies()
    sign_in(page, base, address)


def test_its_coordinator_filters_a_cohort_and_exports_and_a_certificate_verifies(live_server, page, tmp_path):
    from playwright.sync_api import expect

    base = live_server.url
    _as(page, base, "its@officina.example")
    expect(page.get_by_role("heading", name="Fondazione ITS Meccatronica (demo)")).to_be_visible()
    page.get_by_role("link", name="Cohorts").click()
    expect(page.locator("#people")).to_be_visible()
    page.get_by_label("Cohort").select_option(label="Mechatronics 2026-2028")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**cohort=*")
    names_on_page = {n.strip() for n in page.locator("#people tbody tr td:first-child a").all_inner_texts()}
    assert names_on_page
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and {r[0] for r in rows} == names_on_page
    assert all(r[1].startswith("learner") for r in rows)

    _complete_a_course(live_server.app, "learner01@officina.example")
    _as(page, base, "learner01@officina.example")
    page.get_by_role("link", name="My learning").click()
    code = page.locator("#h-certs ~ ul code").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Digitalization 101 (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.context.clear_cookies()
    page.goto(f"{base}/progress/verify")
    page.get_by_label("Verification code").fill(code.lower())
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#verified")).to_contain_text("Digitalization 101")
    expect(page.locator("#verified")).not_to_contain_text("@officina.example")


@pytest.mark.parametrize("locale", ["en-GB", "it-IT"])
def test_screenshots(live_server, browser, locale, tmp_path):
    folder = (SHOTS or tmp_path) / locale
    folder.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    views = [("its@officina.example", ["/", "/progress/cohorts"]),
             ("giulia.ferri@officina.example", ["/", "/progress/courses/digitalization-101"]),
             ("learner02@officina.example", ["/", "/progress/me"]),
             ("manager@officina.example", ["/progress/staff"])]
    for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.on("console", lambda msg, errors=errors: msg.type == "error" and "Failed to load resource" not in msg.text
                and errors.append(msg.text))
        for email, paths in views:
            page.context.clear_cookies()
            page.goto(f"{base}/login")
            page.locator("input[name=email]").fill(email)
            page.locator("input[name=password]").fill("officina-demo-2026")
            page.locator("form button[type=submit]").last.click()
            page.wait_for_url(f"{base}/")
            for path in paths:
                response = page.goto(base + path)
                assert response.ok, (email, path, response.status)
                name = f"{label}-{email.split('@')[0]}-{path.strip('/').replace('/', '_') or 'home'}.png"
                page.screenshot(path=str(folder / name), full_page=True)
        page.context.clear_cookies()
        page.goto(f"{base}/progress/verify?code=ABCD-EFGH-JKMN")
        page.screenshot(path=str(folder / f"{label}-verify.png"), full_page=True)
        context.close()
        assert not errors, errors
