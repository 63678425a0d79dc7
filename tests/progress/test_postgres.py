"""The progress queries on SQLite and on PostgreSQL alike: the report, dashboards, gradebook, exports, API and
xAPI statements over the same world, with the same figures."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.progress import queries, xapi
from tests.progress.factories import PASSWORD, build_world, enrol, make_course, person


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
    assert [s["timestamp"] for s in statements] == sorted(s["timestamp"] for s in statements)  # oldest first
    pages = [client.get(f"/api/v1/organisations/{world.orgs['a'].id}/statements?per_page=2&page={n}",
                        headers=headers).get_json() for n in range(1, len(statements) // 2 + 3)]
    assert {p["total"] for p in pages} == {len(statements)} and pages[-1]["items"] == []
    assert [s for p in pages for s in p["items"]] == statements  # the pages, one after the other, are the whole


def test_report_charts_are_grouped_alike_on_both_databases(db_app):
    """Weeks run Monday 00:00 to Monday 00:00 UTC; the first and last moments of the twelve weeks count, the
    moments just outside do not. A score falls in the tenth it is under (0.66 in 60-69%, 1.0 in 90-100%); a
    rounding cast would put 0.66 in 70-79% on PostgreSQL. The course filter narrows both."""
    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # a Wednesday: the last week is Monday 23 November
    first, next_week = datetime(2026, 9, 7, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    course, other = make_course(), make_course(slug="other-course", title="Other course")
    moments = [first - timedelta(microseconds=1), first, first + timedelta(days=6, hours=23), first + timedelta(days=7),
               datetime(2026, 10, 14, 8, 30, tzinfo=UTC), datetime(2026, 10, 18, 23, 59, tzinfo=UTC), now,
               next_week - timedelta(seconds=1), next_week]
    scores = [0.0, 0.05, 0.66, 0.95, 1.0, None, None, 0.1, 0.699]
    learners = [person(f"week{i}@example.com") for i in range(len(moments))]
    for learner, moment, score in zip(learners, moments, scores, strict=True):
        row = enrol(learner, course, moment - timedelta(days=30))
        row.completed_at, row.quiz_best = moment, score
    enrol(learners[0], other, now - timedelta(days=40)).completed_at = now - timedelta(days=1)
    enrol(learners[1], other, now - timedelta(days=40)).quiz_best = 0.5  # not completed: a score only
    db.session.commit()
    scope = select(User.id).where(User.id.in_([p.id for p in learners]))

    charts = queries.charts(scope, queries.Filters(), now)
    weeks = charts["weeks"]
    assert [week for week, _n in weeks] == [(first + timedelta(weeks=i)).date().isoformat() for i in range(12)]
    assert dict(weeks) == {**{week: 0 for week, _n in weeks}, "2026-09-07": 2, "2026-09-14": 1, "2026-10-12": 2,
                           "2026-11-23": 3}
    assert charts["scores"] == [2, 1, 0, 0, 0, 1, 2, 0, 0, 2]
    by_course = queries.charts(scope, queries.Filters(course_id=other.id), now)
    assert dict(by_course["weeks"])["2026-11-23"] == 1 and sum(n for _w, n in by_course["weeks"]) == 1
    assert by_course["scores"] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
