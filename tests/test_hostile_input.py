"""Security finding 6: hostile input is a 400 or a 404 with a clear message, never a 500, on SQLite and PostgreSQL.

Ids past the database's integer range, huge page numbers, NUL characters and an over-long CSV field (100,000
nested brackets in a JSON body: tests/test_api_json.py). Every app here runs with TESTING off and PROPAGATE_EXCEPTIONS off, as in
production, so that an unhandled error would show up as the 500 a visitor sees.
"""
import io

import pytest

from lms.auth import accounts
from lms.extensions import db
from lms.ids import MAX_ID, IdConverter, parse_id
from lms.orgs import enrolment as csv_enrolment
from lms.orgs.models import Organisation
from tests.conftest import PASSWORD, fresh_schema

HUGE = ["2147483648", "9223372036854775807", "9223372036854775808", "1" + "0" * 5000]


@pytest.fixture
def hostile_app(app_factory, db_url):
    """An app on SQLite, then PostgreSQL, that answers errors as production does."""
    yield from fresh_schema(app_factory, db_url)


@pytest.fixture
def signed_in(hostile_app):
    app = hostile_app
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    admin = accounts.create_user("admin@example.com", "Ada Admin", password=PASSWORD,
                                 roles=("admin", "trainer", "coordinator", "company_manager"))
    _row, token = accounts.create_api_token(admin, "hostile")
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "admin@example.com", "password": PASSWORD})
    return app, client, {"Authorization": f"Bearer {token}"}


def test_ids_past_the_range_do_not_match_any_route():
    import re

    pattern = re.compile(IdConverter.regex + r"\Z")
    assert pattern.match(str(MAX_ID)) and not pattern.match(str(MAX_ID + 1))
    assert parse_id("42") == 42 and parse_id(str(MAX_ID + 1)) is None and parse_id("٣") is None


def test_every_int_route_answers_404_for_an_id_past_the_range(signed_in):
    app, client, headers = signed_in
    checked = 0
    for rule in app.url_map.iter_rules():
        if "int" not in str(rule) or rule.rule.startswith("/static"):
            continue
        for huge in HUGE[:3]:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", huge)
            url = __import__("re").sub(r"<[^>]+>", "x", url)
            for method in sorted(rule.methods & {"GET", "POST", "PATCH", "DELETE"}):
                response = client.open(url, method=method, headers=headers)
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
    assert checked > 20


def test_the_people_directory_refuses_a_huge_organisation_as_a_visitor(hostile_app):
    hostile_app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    client = hostile_app.test_client()
    for huge in HUGE:
        response = client.get(f"/people/?organisation={huge}")
        assert response.status_code == 400
        assert "There is no such organisation" in response.get_data(as_text=True)
    assert client.get(f"/people/?page={HUGE[1]}").status_code == 200  # clamped to the last page


def test_api_pages_past_the_limit_are_a_400(signed_in):
    _app, client, headers = signed_in
    for path in ("/api/v1/courses", "/api/v1/me/progress"):
        response = client.get(f"{path}?page={HUGE[1]}", headers=headers)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["message"] == "page must be a whole number from 1 to 1000000."
    assert client.get("/api/v1/courses?page=3&per_page=99999999999999", headers=headers).status_code == 200


@pytest.mark.parametrize("url", ["/courses/?q=vib%00ration", "/people/?q=%00", "/admin/users/?q=a%00",
                                 "/api/v1/courses?page=%00"])
def test_nul_characters_in_searches_are_a_400(signed_in, url):
    _app, client, headers = signed_in
    response = client.get(url, headers=headers)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/courses/digital%00basics", "/people/a%00b", "/api/v1/courses/c%001"])
def test_nul_characters_in_paths_are_a_404(signed_in, url):
    _app, client, headers = signed_in
    assert client.get(url, headers=headers).status_code == 404


def test_nul_characters_in_a_name_are_a_400_and_nothing_changes(signed_in):
    _app, client, _headers = signed_in
    response = client.post("/settings", data={"name": "Ada\x00Admin", "timezone": "Europe/Rome", "language": ""})
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)
    db.session.expire_all()
    assert accounts.User.by_email("admin@example.com").name == "Ada Admin"


def test_a_csv_field_over_the_csv_module_limit_is_reported_not_raised(signed_in):
    _app, client, _headers = signed_in
    org = Organisation(name="ITS Meccatronica", kind="its", city="Bologna")
    db.session.add(org)
    db.session.commit()
    text = 'email,name\nanna@example.com,Anna\n"' + "x" * 140_000 + '",Long\n'
    plan = csv_enrolment.plan_enrolment(text, org, 100)
    assert not plan.ok and any(e.startswith("line 3:") and "131,072" in e for e in plan.errors)

    upload = client.post(f"/admin/organisations/{org.id}/enrol/preview",
                         data={"file": (io.BytesIO(text.encode()), "people.csv")}, content_type="multipart/form-data")
    preview = client.get(upload.location)
    assert preview.status_code == 422 and "131,072" in preview.get_data(as_text=True)
