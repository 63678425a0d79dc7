"""Security finding 7: a body that is not valid JSON is a 400 `invalid_json` on every JSON endpoint, and nothing
changes (before, broken JSON was read as {} and enrolled the caller)."""
from datetime import timedelta

import pytest

from lms.auth import accounts
from lms.courses.models import Enrolment
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import Booking, LabSession
from tests.conftest import fresh_schema
from tests.courses.reading_factories import make_course

BROKEN = ["{", "{'user_email': 'x'}", '{"a": 1,}', "nul", "\xff\xfe", "[1, 2]", '"text"', "[" * 100_000]


@pytest.fixture
def caller(app, client):
    user = accounts.create_user("coord@example.com", "Cora Coordinator", roles=("coordinator", "admin"))
    _row, token = accounts.create_api_token(user, "json")
    db.session.commit()
    make_course(slug="c1")
    headers = {"Authorization": f"Bearer {token}"}
    start = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    made = client.post("/api/v1/lab-sessions", headers=headers, json={
        "title": "Cobots", "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 4})
    assert made.status_code == 201, made.get_json()
    return headers, made.get_json()["id"]


def test_broken_json_no_longer_enrols_the_caller(client, caller):
    headers, _session = caller
    response = client.post("/api/v1/courses/c1/enrolment", data="{not json",
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert db.session.query(Enrolment).count() == 0
    # An empty body still means "enrol me", as documented.
    assert client.post("/api/v1/courses/c1/enrolment", headers=headers).status_code == 201


@pytest.mark.parametrize("body", BROKEN, ids=range(len(BROKEN)))
def test_every_json_endpoint_refuses_what_is_not_a_json_object(client, caller, body):
    headers, session_id = caller
    before = db.session.get(LabSession, session_id).title
    endpoints = [("POST", "/api/v1/courses/c1/enrolment"), ("POST", "/api/v1/lab-sessions"),
                 ("PATCH", f"/api/v1/lab-sessions/{session_id}"), ("POST", f"/api/v1/lab-sessions/{session_id}/bookings")]
    for method, path in endpoints:
        response = client.open(path, method=method, data=body.encode("latin-1"),
                               headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 400, (method, path, response.status_code)
        assert response.get_json()["error"]["code"] == "invalid_json", (method, path)
    db.session.expire_all()
    assert db.session.query(Enrolment).count() == 0 and db.session.query(Booking).count() == 0
    assert db.session.query(LabSession).count() == 1 and db.session.get(LabSession, session_id).title == before


def test_the_document_lists_invalid_json_and_the_shared_answers(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert {"400", "429"} <= set(operation["responses"]), (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
    assert "invalid_json" in doc["paths"]["/courses/{slug}/enrolment"]["post"]["responses"]["400"]["description"]


@pytest.fixture
def on_both_databases(app_factory, db_url):
    """SQLite, then PostgreSQL, answering errors as production does."""
    for app in fresh_schema(app_factory, db_url):
        app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
        user = accounts.create_user("coord@example.com", "Cora Coordinator", roles=("coordinator", "admin"))
        _row, token = accounts.create_api_token(user, "json")
        db.session.commit()
        yield app.test_client(), {"Authorization": f"Bearer {token}"}


def test_deeply_nested_and_nul_json_bodies_are_a_400_invalid_json(on_both_databases):
    client, headers = on_both_databases
    make_course(slug="c1")
    deep = "[" * 100_000 + "]" * 100_000
    for path in ("/api/v1/courses/c1/enrolment", "/api/v1/lab-sessions"):
        for body in (deep, '{"user_email": "a\\u0000b"}', '{"a": ' * 50_000 + "1" + "}" * 50_000):
            response = client.post(path, data=body, headers={**headers, "Content-Type": "application/json"})
            assert response.status_code == 400, (path, body[:20])
            assert response.get_json()["error"]["code"] == "invalid_json"
    assert db.session.query(Enrolment).count() == 0
