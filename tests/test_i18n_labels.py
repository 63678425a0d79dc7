"""Role names, numbers, plurals and e-mail messages as each language writes them."""
import re
from contextlib import contextmanager

import flask_babel
import pytest

from lms.auth import accounts
from lms.auth.models import ROLES
from lms.auth.roles import ROLE_LABELS, role_label
from lms.extensions import db
from lms.i18n import number, percent

IT = {"Accept-Language": "it"}
EN = {"Accept-Language": "en"}


@contextmanager
def request_in(app, headers):
    """A request context in the language `headers` ask for (forgetting the locale the app context cached)."""
    with app.test_request_context(headers=headers):
        flask_babel.refresh()
        yield


@pytest.fixture
def admin_client(client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin",))
    create_user("boss@example.com", "Bea Boss", roles=("company_manager", "its_staff"))
    login("admin@example.com")
    return client


def test_every_role_has_a_label_and_unknown_codes_pass_through(app):
    assert set(ROLE_LABELS) == set(ROLES)
    with request_in(app, EN):
        assert role_label("company_manager") == "Company manager" and role_label("x_y") == "x_y"
    with request_in(app, IT):
        assert role_label("company_manager") == "Responsabile aziendale"


@pytest.mark.parametrize("path", ["/admin/users/", "/admin/users/invite", "/settings"])
def test_admin_pages_show_role_names_not_codes(admin_client, path):
    for headers, name in ((EN, "Company manager"), (IT, "Responsabile aziendale")):
        admin_client.post("/language", data={"language": "it" if headers is IT else "en"})
        html = admin_client.get(path, headers=headers).get_data(as_text=True)
        visible = re.sub(r"<[^>]+>", " ", html)  # codes stay as option values; people read the text
        assert "company_manager" not in visible and "its_staff" not in visible
        if path != "/settings":
            assert name in visible


def test_the_user_edit_page_names_roles(admin_client):
    boss = accounts.User.by_email("boss@example.com")
    html = admin_client.get(f"/admin/users/{boss.id}", headers=EN).get_data(as_text=True)
    assert ">Company manager</label>" in html and ">ITS staff</label>" in html


def test_csv_role_errors_name_the_codes_with_their_labels(app):
    from lms.orgs import enrolment
    from lms.orgs.models import Organisation

    org = Organisation(name="Acme", kind="company")
    db.session.add(org)
    db.session.commit()
    with request_in(app, IT):
        plan = enrolment.plan_enrolment("email,name,role\na@example.com,A,boss\n", org, 10)
    assert plan.errors[0].startswith("riga 2: ") and "company_manager (Responsabile aziendale)" in plan.errors[0]


def test_numbers_and_percentages_follow_the_language(app):
    with request_in(app, IT):
        # Italian puts a non-breaking space before the sign (CLDR's "68,8%" has none).
        assert percent(0.688) == "68,8\u00a0%" and percent(70, whole=True) == "70\u00a0%"
        assert number(1234.5) == "1.234,5"
    with request_in(app, EN):
        assert percent(0.688) == "68.8%" and percent(None) == "–" and number(1234.5) == "1,234.5"


def test_progress_reads_one_of_one_module_in_italian(client, create_user, login):
    from lms.courses import enrolment
    from lms.dbtypes import utcnow
    from tests.courses.reading_factories import make_course

    user = create_user()
    course = make_course(modules=1)
    enrolment.enrol(user, course, by=user, now=utcnow())
    enrolment.mark_complete(user, course.live_modules[0], utcnow())
    db.session.commit()
    login()
    client.post("/language", data={"language": "it"})
    html = client.get("/progress/me").get_data(as_text=True)
    assert "1 di 1 modulo" in html and "1 di 1 moduli" not in html
    assert "100\u00a0%" in html


@pytest.mark.parametrize("address, italian", [
    ("no-at-sign", "deve contenere una @"),
    ("a@b", "deve contenere un punto"),
    ("@example.com", "manca la parte prima della @"),
])
def test_email_validation_messages_are_translated(app, address, italian):
    with request_in(app, IT):
        with pytest.raises(accounts.AccountError) as exc:
            accounts.normalise_email(address)
    assert italian in str(exc.value) and "@-sign" not in str(exc.value)


def test_the_user_edit_page_writes_both_dates_in_one_format(admin_client):
    from datetime import UTC, datetime

    boss = accounts.User.by_email("boss@example.com")
    boss.created_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    boss.last_login_at = datetime(2026, 11, 5, 14, 30, tzinfo=UTC)
    db.session.commit()
    html = admin_client.get(f"/admin/users/{boss.id}", headers=EN).get_data(as_text=True)
    assert "joined Mar 2, 2026 · last sign-in Nov 5, 2026, 3:30\u202fPM" in html  # Europe/Rome
    admin_client.post("/language", data={"language": "it"})
    html = admin_client.get(f"/admin/users/{boss.id}").get_data(as_text=True)
    assert "2 mar 2026 · ultimo accesso: 5 nov 2026, 15:30" in html


def test_quiz_settings_and_messages_write_the_pass_mark_with_the_percent_filter(app):
    """No message builds "%(x)d%%" itself: the pass mark goes through the same filter as every other share."""
    from lms.quizzes.models import Quiz
    from lms.quizzes.policy import settings_sentence

    quiz = Quiz(pass_mark=70, attempts_allowed=0, time_limit_minutes=0)
    with request_in(app, IT):
        assert settings_sentence(quiz, 3).endswith("soglia di superamento 70\u00a0%")
    with request_in(app, EN):
        assert settings_sentence(quiz, 3).endswith("pass mark 70%")


def test_no_template_or_message_writes_a_percent_sign_after_a_number_itself():
    """A literal "%%" in a message, or "}}%" in a template, means a number was formatted by hand."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "lms"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*")
                 if path.suffix in (".py", ".html") and ("%%" in (text := path.read_text(encoding="utf-8"))
                                                         or "}}%" in text or "}} %" in text)]
    assert offenders == []
