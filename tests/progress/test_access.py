"""Every progress page and API endpoint, as every role, on another organisation's data: 403/404, never a 200
and never a 500. Generated from one table of endpoints and one of roles."""
import pytest

from lms.auth import accounts
from lms.extensions import db
from lms.progress.models import Certificate

# Each URL names data of company A / ITS X / their learners and courses; {...} are filled from the world.
PAGES = [
    "/progress/organisations/{org_a}",
    "/progress/organisations/{org_a}/export.csv",
    "/progress/organisations/{org_a}/export.xlsx",
    "/progress/organisations/{org_a}/learners/{ada}",
    "/progress/organisations/{org_x}",
    "/progress/organisations/{org_x}?cohort={cohort_x1}",
    "/progress/organisations/{org_x}/export.xlsx?cohort={cohort_x1}",
    "/progress/organisations/{org_x}/learners/{dario}",
    "/progress/courses/industry-basics",
    "/progress/courses/industry-basics/gradebook.csv",
    "/progress/courses/industry-basics/gradebook.xlsx",
    "/progress/courses/industry-basics/learners/{ada}",
    "/progress/certificates/{certificate}.pdf",
]
API = [
    "/api/v1/organisations/{org_a}/progress",
    "/api/v1/organisations/{org_a}/statements",
    "/api/v1/organisations/{org_x}/progress",
    "/api/v1/organisations/{org_x}/progress?cohort={cohort_x1}",
    "/api/v1/organisations/{org_x}/statements",
]
# Who may see what (everyone else: 403/404). Roles outside company A and ITS X, and the learners themselves.
ALLOWED = {
    "manager_a": {"org_a"},
    "its_x": {"org_x"},
    "trainer": {"industry-basics"},
    "ada": {"certificate"},
    "admin": {"org_a", "org_x", "industry-basics", "certificate"},
}
ROLES = ["manager_b", "its_y", "other.trainer", "carla", "fabio", "stranger", "manager_a", "its_x", "trainer",
         "ada", "admin"]


def _ids(world):
    return {"org_a": world.orgs["a"].id, "org_x": world.orgs["x"].id, "ada": world.people["ada"].id,
            "dario": world.people["dario"].id, "cohort_x1": world.cohorts["x1"].id,
            "certificate": db.session.query(Certificate).one().id}


def _kind(url):
    for key in ("org_a", "org_x", "industry-basics", "certificate"):
        if "{" + key + "}" in url or key in url:
            return key
    raise AssertionError(url)


@pytest.mark.parametrize("role", ROLES)
def test_pages_as_every_role(world, sign_in, role):
    client = sign_in(role)
    ids = _ids(world)
    for template in PAGES:
        url = template.format(**ids)
        allowed = _kind(template) in ALLOWED.get(role, set())
        status = client.get(url).status_code
        if allowed:
            assert status == 200, (role, url, status)
        else:
            assert status in (403, 404), (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_api_as_every_role(world, app, role):
    _row, token = accounts.create_api_token(world.people[role], "test")
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    ids = _ids(world)
    for template in API:
        url = template.format(**ids)
        allowed = _kind(template) in ALLOWED.get(role, set())
        response = client.get(url, headers=headers)
        if allowed:
            assert response.status_code == 200, (role, url, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, url, response.status_code)
            assert response.get_json()["error"]["code"]
    # /organisations lists only one's own (admin: all)
    names = {o["name"] for o in client.get("/api/v1/organisations", headers=headers).get_json()["items"]}
    own = {m.organisation.name for m in world.people[role].memberships}
    assert names == ({"Company A", "Company B", "ITS X", "ITS Y"} if role == "admin" else own)
    # /me/progress: only oneself
    emails = {i["user"]["email"] for i in client.get("/api/v1/me/progress", headers=headers).get_json()["items"]}
    assert emails <= {f"{role}@example.com"}


def test_nobody_signed_in_is_sent_to_sign_in_or_refused(world, app):
    client = app.test_client()
    ids = _ids(world)
    for template in PAGES:
        assert client.get(template.format(**ids)).status_code in (302, 401, 403, 404)
    for template in API:
        assert client.get(template.format(**ids)).status_code == 401


def test_hostile_ids_and_filters_are_4xx(world, sign_in, app):
    client = sign_in("admin")
    for url in ("/progress/organisations/99999999999", "/progress/organisations/0",
                "/progress/organisations/1/learners/99999999999", "/progress/certificates/99999999999.pdf",
                "/progress/courses/" + "x" * 5000, "/progress/courses/%00",
                f"/progress/organisations/{world.orgs['x'].id}?page=99999999999",
                f"/progress/organisations/{world.orgs['x'].id}?cohort=%00",
                f"/progress/organisations/{world.orgs['x'].id}?inactive=-1"):
        assert 400 <= client.get(url).status_code < 500, url
    _row, token = accounts.create_api_token(world.people["admin"], "t")
    db.session.commit()
    api = app.test_client()
    response = api.get(f"/api/v1/organisations/{world.orgs['x'].id}/progress?course=abc",
                       headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and "course" in response.get_json()["error"]["message"]
