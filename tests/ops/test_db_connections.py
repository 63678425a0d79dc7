"""Pooled PostgreSQL connections the server ended (a restart, an idle timeout) are replaced before a request
uses them (lms.dbtypes): the request is served, not answered 500."""
import time

import psycopg
import pytest
from sqlalchemy import text

from lms.auth import accounts
from lms.extensions import db
from tests.conftest import PASSWORD, fresh_schema

END_OTHERS = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
              "WHERE datname = current_database() AND pid <> pg_backend_pid()")
COUNT_OTHERS = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"


def _end_other_backends(url: str) -> int:
    """What a database restart does to the pool: every other connection to the database is ended (and gone:
    pg_terminate_backend only signals, and the server's goodbye reaches the socket when the backend exits)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        ended = admin.execute(END_OTHERS).fetchone()[0]
        for _ in range(200):
            if admin.execute(COUNT_OTHERS).fetchone()[0] == 0:
                break
            time.sleep(0.01)
        return ended


@pytest.fixture
def pg_app(app_factory, postgres_url):
    yield from fresh_schema(app_factory, postgres_url)


def test_a_connection_the_server_ended_is_replaced_not_used(pg_app, postgres_url):
    accounts.create_user("learner@example.com", "Lea Learner", roles=("learner",), password=PASSWORD)
    db.session.commit()
    client = pg_app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    assert client.get("/progress/me").status_code == 200  # the pool now holds a connection
    db.session.remove()
    pool = db.engine.pool
    assert pool.checkedin() >= 1
    assert _end_other_backends(postgres_url) >= 1

    response = client.get("/progress/me")  # signed in still: the ended connection was not handed out
    assert response.status_code == 200
    assert b"Lea Learner" in response.data
    assert db.session.execute(text("SELECT 41 + 1")).scalar_one() == 42
