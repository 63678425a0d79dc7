"""Another company's assessment is a 404 for every role, in pages and in the API; the right people get in."""
import pytest

from lms.assessment import sharing
from lms.auth import accounts
from lms.extensions import db
from tests.assessment.conftest import NOW, answers, submit

OUTSIDERS = ["manager@beta.example", "staff@beta.example", "staff@its.example", "staff@cc.example",
             "learner@example.com", "trainer@example.com", "coord@example.com"]


@pytest.fixture
def alfa(world):
    assessment = world.start()
    submit(assessment.responses[0], answers(3))
    db.session.commit()
    return assessment


def _pages(assessment):
    return [f"/assessment/{assessment.id}", f"/assessment/{assessment.id}/answer",
            f"/assessment/{assessment.id}/result", f"/assessment/{assessment.id}/report.pdf",
            f"/assessment/companies/{assessment.organisation_id}"]


def _posts(assessment):
    return [(f"/assessment/{assessment.id}/answers", {"q-strategy-roadmap": "1"}),
            (f"/assessment/{assessment.id}/submit", {}), (f"/assessment/{assessment.id}/revise", {}),
            (f"/assessment/{assessment.id}/invite", {"email": "x@alfa.example", "name": "X", "area": "it"}),
            (f"/assessment/{assessment.id}/path", {"people": "1", "dimensions": "data"}),
            (f"/assessment/{assessment.id}/share-answers", {"shares_answers": "1"}),
            (f"/assessment/companies/{assessment.organisation_id}/start", {"size": "small", "sector": "food"}),
            (f"/assessment/companies/{assessment.organisation_id}/repeat", {}),
            (f"/assessment/companies/{assessment.organisation_id}/share", {"centre": "3"})]


@pytest.mark.parametrize("email", OUTSIDERS)
def test_every_role_outside_the_company_gets_404_on_pages(alfa, client, login, email):
    login(email)
    for path in _pages(alfa):
        assert client.get(path).status_code == 404, (email, path)
    for path, data in _posts(alfa):
        assert client.post(path, data=data).status_code == 404, (email, path)
    db.session.expire_all()
    assert alfa.responses[0].answers["strategy-roadmap"] == 3 and len(alfa.responses) == 1


def test_signed_out_visitors_are_sent_to_sign_in(alfa, client):
    for path in _pages(alfa):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("email", ["manager@alfa.example", "admin@example.com"])
def test_the_manager_and_admins_see_the_result(alfa, client, login, email):
    login(email)
    assert client.get(f"/assessment/{alfa.id}/result").status_code == 200
    assert client.get(f"/assessment/{alfa.id}/report.pdf").status_code == 200


def _token(email):
    user = accounts.User.by_email(email)
    _row, clear = accounts.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


@pytest.mark.parametrize("email", OUTSIDERS)
def test_every_role_outside_the_company_gets_404_in_the_api(alfa, client, email):
    response = client.get(f"/api/v1/organisations/{alfa.organisation_id}/assessments", headers=_token(email))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_api_serves_latest_and_history_to_the_right_roles(world, alfa, client):
    url = f"/api/v1/organisations/{alfa.organisation_id}/assessments"
    assert client.get(url).status_code == 401
    for email in ("manager@alfa.example", "admin@example.com"):
        body = client.get(url, headers=_token(email)).json
        assert body["latest"]["overall"] == 3.0 and body["total"] == 1 and body["items"][0]["version"] == 1
        assert body["organisation"]["name"] == "Alfa Meccanica"
        assert "answers" not in str(body)
    sharing.share(world.a, world.its, by=world.manager, show_name=False, now=NOW)
    db.session.commit()
    its = _token("staff@its.example")
    assert client.get(url, headers=its).status_code == 404  # shared anonymously: not by id
    sharing.share(world.a, world.its, by=world.manager, show_name=True, now=NOW)
    db.session.commit()
    assert client.get(url, headers=its).status_code == 200
    assert client.get(url, headers=_token("staff@cc.example")).status_code == 404  # another centre
    for bad in (f"/api/v1/organisations/{2**40}/assessments", "/api/v1/organisations/0/assessments",
                f"/api/v1/organisations/{world.its.id}/assessments"):
        assert client.get(bad, headers=_token("admin@example.com")).status_code == 404


def test_openapi_describes_the_route_with_every_response_code(client):
    doc = client.get("/api/v1/openapi.json").json
    operation = doc["paths"]["/organisations/{id}/assessments"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "404", "429"}
