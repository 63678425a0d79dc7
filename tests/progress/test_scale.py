"""The number of SQL statements of the ITS report, the dashboard and the API does not grow with the number of
learners (counted with SQLAlchemy events), and the demo population is built in bulk."""
from contextlib import contextmanager

from sqlalchemy import event, func, select

from lms.auth import accounts
from lms.auth.models import User
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.progress import demo as population
from lms.progress.models import Certificate
from tests.progress.factories import NOW, PASSWORD


@contextmanager
def counting():
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _grow(world, total):
    """Demo learners up to `total`, half of them in ITS X's cohort X1, with progress."""
    from lms.auth.passwords import hash_password

    ids = population.add_learners(total, world.orgs["a"], world.orgs["x"], hash_password(PASSWORD))
    population.add_progress(ids, NOW)
    db.session.commit()


def _measure(client, urls, headers=None):
    counts = {}
    for url in urls:
        with counting() as statements:
            response = client.get(url, headers=headers or {})
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_learners(world, sign_in, app):
    org, cohort = world.orgs["x"].id, world.cohorts["x1"].id
    course = world.course.id
    pages = [f"/progress/organisations/{org}", f"/progress/organisations/{org}?cohort={cohort}&inactive=3",
             f"/progress/organisations/{org}?course={course}&page=2&per_page=2",
             f"/progress/organisations/{org}/export.csv", "/", "/progress/courses/industry-basics"]
    _row, token = accounts.create_api_token(world.people["its_x"], "t")
    db.session.commit()
    apis = [f"/api/v1/organisations/{org}/progress?per_page=1000", f"/api/v1/organisations/{org}/statements",
            f"/api/v1/organisations/{org}/progress?cohort={cohort}&course={course}&inactive=3&per_page=2",
            f"/api/v1/organisations/{org}/statements?per_page=1"]
    its = sign_in("its_x")
    admin = sign_in("admin")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    # The token's "last used" is written at most once a minute: do that write before measuring, or the first
    # measurement carries it and the second does not.
    api.get(apis[1], headers=headers)
    _grow(world, 6)
    small = (_measure(its, pages[:5]), _measure(admin, pages[5:]), _measure(api, apis, headers))
    _grow(world, 80)
    members = db.session.scalar(select(func.count(User.id)).where(User.email.like("learner%")))
    assert members == 80
    large = (_measure(its, pages[:5]), _measure(admin, pages[5:]), _measure(api, apis, headers))
    assert small == large


def test_demo_population_is_bulk_realistic_and_complete_by_the_rules(world):
    from lms.auth.passwords import hash_password

    password_hash = hash_password(PASSWORD)
    population.add_learners(30, world.orgs["a"], world.orgs["x"], password_hash)  # makes the demo companies, cohorts
    sizes = []
    for total in (80, 280):  # 50 learners, then 200 more: the same number of statements
        with counting() as statements:
            ids = population.add_learners(total, world.orgs["a"], world.orgs["x"], password_hash)
            counts = population.add_progress(ids, NOW)
        db.session.commit()
        sizes.append(len(statements))
    # bulk inserts, not one statement per row (a branch such as "no lab booking drawn" may skip one)
    assert abs(sizes[1] - sizes[0]) <= 2, sizes
    assert len(ids) == 200 and counts["enrolments"] >= 200 and counts["quiz attempts"] > 0
    completed = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.completed_at.is_not(None),
                                                                         Enrolment.user_id.in_(ids)))
    certificates = db.session.scalar(select(func.count(Certificate.id)).where(Certificate.user_id.in_(ids)))
    assert 0 < completed == certificates
    assert population.add_learners(280, world.orgs["a"], world.orgs["x"], password_hash) == []  # repeatable


def test_demo_accounts_share_one_hash_and_sign_in(app, runner):
    result = runner.invoke(args=["demo", "--learners", "30"])
    assert result.exit_code == 0, result.output
    hashes = set(db.session.scalars(select(User.password_hash).where(User.email.like("%@officina.example"),
                                                                     User.password_hash.is_not(None))))
    assert len(hashes) == 1  # hashed once, not once per account
    client = app.test_client()
    response = client.post("/login", data={"email": "learner29@officina.example", "password": "officina-demo-2026"})
    assert response.status_code in (302, 303)
