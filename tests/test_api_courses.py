"""API v1: courses, enrolment and progress."""
import pytest

from lms.auth import accounts
from lms.extensions import db
from lms.orgs.models import Organisation
from lms.orgs.people import add_member
from tests.courses.reading_factories import make_course


def _token(user):
    _row, clear = accounts.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture
def learner(create_user):
    return create_user()


def test_courses_list_and_detail(client, learner):
    make_course(slug="published-one", title="Published one", modules=2)
    make_course(slug="draft-one", title="Draft one", published=False)
    headers = _token(learner)
    body = client.get("/api/v1/courses?per_page=10", headers=headers).get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 10
    assert [c["slug"] for c in body["items"]] == ["published-one"]
    detail = client.get("/api/v1/courses/published-one", headers=headers).get_json()
    assert [m["slug"] for m in detail["modules"]] == ["m1", "m2"]
    assert detail["modules"][0]["url"] == "http://localhost/courses/published-one/m1"
    assert client.get("/api/v1/courses/draft-one", headers=headers).status_code == 404
    assert client.get("/api/v1/courses").status_code == 401


def test_course_detail_lists_the_other_published_editions_and_hides_drafts(client, learner, create_user):
    make_course(slug="orig", title="Original", modules=1)
    make_course(slug="orig-it", title="Originale", modules=1, language="it", translation_of="orig")
    make_course(slug="orig-de", title="Original DE", modules=1, language="de", translation_of="orig", published=False,
                trainers=("author@example.com",))
    headers = _token(learner)

    def editions(slug, as_headers=headers):
        return [e["slug"] for e in client.get(f"/api/v1/courses/{slug}", headers=as_headers).get_json()["editions"]]

    assert editions("orig") == ["orig-it"]  # the draft German edition is not listed
    assert editions("orig-it") == ["orig"]
    assert client.get("/api/v1/courses/orig-de", headers=headers).status_code == 404
    author = _token(create_user("author@example.com", "Author", roles=("trainer",)))
    assert editions("orig-de", author) == ["orig", "orig-it"]  # its author sees the draft, beside the published ones
    assert client.get("/api/v1/courses/nope", headers=headers).status_code == 404


def test_enrol_self_then_progress(client, learner):
    make_course(slug="c1", modules=2)
    headers = _token(learner)
    first = client.post("/api/v1/courses/c1/enrolment", headers=headers)
    assert first.status_code == 201 and first.get_json()["modules_total"] == 2
    assert client.post("/api/v1/courses/c1/enrolment", headers=headers).status_code == 200
    progress = client.get("/api/v1/me/progress", headers=headers).get_json()
    assert progress["total"] == 1 and progress["items"][0]["course"] == "c1"
    assert progress["items"][0]["percent"] == 0 and progress["items"][0]["enrolled_at"].endswith("+00:00")


def test_a_manager_enrols_staff_but_not_strangers(client, create_user):
    make_course(slug="c1")
    manager = create_user("boss@example.com", "Boss", roles=("company_manager",))
    staff = create_user("staff@example.com", "Staff")
    create_user("stranger@example.com", "Stranger")
    company = Organisation(name="Tiles Ltd", kind="company")
    db.session.add(company)
    add_member(company, manager, "manager")
    add_member(company, staff, "member")
    db.session.commit()
    headers = _token(manager)
    ok = client.post("/api/v1/courses/c1/enrolment", json={"user_email": "STAFF@example.com"}, headers=headers)
    assert ok.status_code == 201 and ok.get_json()["user_email"] == "staff@example.com"
    refused = client.post("/api/v1/courses/c1/enrolment", json={"user_email": "stranger@example.com"},
                          headers=headers)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    missing = client.post("/api/v1/courses/c1/enrolment", json={"user_email": "ghost@example.com"}, headers=headers)
    assert missing.status_code == 403 and missing.get_json() == refused.get_json()  # no account: the same answer


def test_openapi_lists_the_course_paths(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert {"/me", "/courses", "/courses/{slug}", "/courses/{slug}/enrolment", "/me/progress"} <= set(doc["paths"])


def test_enrolling_someone_else_answers_the_same_for_unknown_foreign_and_deactivated(client, create_user):
    """Security finding 3: a token holder learns nothing about accounts they may not enrol (no name, no status)."""
    make_course(slug="c1")
    manager = create_user("boss@example.com", "Boss", roles=("company_manager",))
    company = Organisation(name="Tiles Ltd", kind="company")
    db.session.add(company)
    add_member(company, manager, "manager")
    create_user("stranger@example.com", "Sandro Stranger")
    gone = create_user("gone@example.com", "Gina Gone")
    gone.is_active = False
    db.session.commit()
    headers = _token(manager)
    answers = [client.post("/api/v1/courses/c1/enrolment", json={"user_email": email}, headers=headers)
               for email in ("stranger@example.com", "gone@example.com", "ghost@example.com", "not an address")]
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {
        (403, answers[0].get_data(as_text=True))}
    assert "Sandro" not in answers[0].get_data(as_text=True)
