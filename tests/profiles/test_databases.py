"""What must hold on SQLite and PostgreSQL alike: the directory's JSON and EXISTS filters, and two requests
creating the same profile at once."""
import threading
import time

import pytest
from sqlalchemy import func, select, text

from lms.auth import accounts
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation
from lms.profiles import directory, rules
from lms.profiles.models import Profile
from tests.conftest import fresh_schema
from tests.profiles.conftest import fill_profile


def test_directory_filters(db_app):
    its = Organisation(name="ITS Meccatronica", kind="its")
    db.session.add(its)
    anna = accounts.create_user("anna@example.com", "Anna Verdi", roles=["trainer"])
    bruno = accounts.create_user("bruno@example.com", "Bruno Neri", roles=["trainer"])
    people.add_member(its, bruno)
    fill_profile(anna, competences={"digital-twin": "can_teach"}, languages=["it", "en"], teach_tags="ROS 2")
    fill_profile(bruno, competences={"digital-twin": "expert"}, languages=["de"], organisation_id=its.id)
    names = lambda page: [p.user.name for p in page.items]  # noqa: E731
    assert names(directory.search(competence="digital-twin")) == ["Bruno Neri", "Anna Verdi"]
    assert names(directory.search(language="en")) == ["Anna Verdi"]
    assert names(directory.search(language="de")) == ["Bruno Neri"]
    assert names(directory.search(its=True)) == ["Bruno Neri"]
    assert names(directory.search(organisation_id=its.id)) == ["Bruno Neri"]
    assert names(directory.search(name="ros")) == ["Anna Verdi"]
    assert directory.competence_counts(False) == {"digital-twin": 2}


# Backends of this test's database (other test workers use their own) that wait for a lock.
WAITING_ON_A_LOCK = text("SELECT count(*) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND wait_event_type = 'Lock'")


@pytest.fixture
def pg_app(app_factory, postgres_url):
    yield from fresh_schema(app_factory, postgres_url)


def test_two_requests_creating_one_profile_make_one_row(pg_app):
    """The second creator waits on the unique index, fails, rolls back its savepoint and reads the winner.

    PostgreSQL only: SQLite refuses such an overlapping writer outright ("database is locked") instead of
    letting it wait on the index; it is the one-process default, where this overlap is rare."""
    db_app = pg_app
    # A guest expert, whose profile an admin adds (a trainer's comes with the role).
    user = accounts.create_user("carla@example.com", "Carla Bianchi", roles=["learner"])
    db.session.commit()
    user_id = user.id
    winner = db.engine.connect()
    tx = winner.begin()
    winner.execute(Profile.__table__.insert().values(user_id=user_id, slug="carla-first", languages=[],
                                                     created_at=utcnow(), updated_at=utcnow()))
    result = {}

    def second_request():
        with db_app.app_context():
            from lms.auth.models import User

            profile = rules.get_or_create_profile(db.session.get(User, user_id), utcnow())
            result["slug"] = profile.slug
            db.session.commit()

    thread = threading.Thread(target=second_request)
    thread.start()
    # Wait until the second request really waits on the winner's row, then commit.
    with db.engine.connect() as watcher:
        deadline = time.monotonic() + 20
        while not watcher.scalar(WAITING_ON_A_LOCK):
            assert time.monotonic() < deadline and thread.is_alive(), "the second request never waited"
            time.sleep(0.02)
            watcher.rollback()  # a fresh snapshot of the statistics each time
    tx.commit()
    winner.close()
    thread.join(timeout=30)
    assert result == {"slug": "carla-first"}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Profile.id))) == 1
