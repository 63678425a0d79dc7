"""The progress queries on SQLite and on PostgreSQL alike: the report, dashboards, gradebook, exports, API and
xAPI statements over the same world, with the same figures."""
from lms.auth import accounts
from lms.extensions import db
from lms.progress import xapi
from tests.progress.factories import PASSWORD, build_world


def test_every_progress_query_runs_on_both_databases(db_app):
    world = build_world()
    org = world.orgs["x"].id
    client = db_app.test_client()
    assert client.post("/login", data={"email": "its_x@example.com", "password": PASSWORD}).status_code == 302
    for url in ("/", f"/progress/organisations/{org}", f"/progress/organisations/{org}?group=editions&inactive=3",
                f"/progress/organisations/{org}?cohort={world.cohorts['x1'].id}&role=learner",
                f"/progress/organisations/{org}/export.csv", f"/progress/organisations/{org}/export.xlsx",
                f"/progress/organisations/{org}/learners/{world.people['elsa'].id}"):
        assert client.get(url).status_code == 200, url
    trainer = db_app.test_client()
    trainer.post("/login", data={"email": "trainer@example.com", "password": PASSWORD})
    for url in ("/", "/progress/courses/industry-basics", "/progress/courses/industry-basics/gradebook.xlsx"):
        assert trainer.get(url).status_code == 200, url
    _row, token = accounts.create_api_token(world.people["admin"], "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get(f"/api/v1/organisations/{world.orgs['a'].id}/progress", headers=headers).get_json()
    ada = next(i for i in body["items"] if i["user"]["name"] == "Ada")
    assert ada["percent"] == 100 and ada["completed_at"] and ada["labs_attended"] == 1
    statements = client.get(f"/api/v1/organisations/{world.orgs['a'].id}/statements",
                            headers=headers).get_json()["items"]
    assert statements and all(xapi.check_statement(s) == [] for s in statements)
