"""/healthz and /readyz: no login, no cookie, no rate limit; /readyz answers 503 with a reason when the
database is down or its schema is behind the migrations, on SQLite and PostgreSQL."""

import pytest
from flask_migrate import stamp, upgrade
from sqlalchemy import text

from lms import create_app
from lms.extensions import db
from lms.ops import health
from tests.conftest import base_config
from tests.support import free_port


def test_healthz_answers_without_a_database(app_factory):
    app = app_factory()
    app.config["SQLALCHEMY_DATABASE_URI"] = "invalid"  # never read: /healthz does not touch the database
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def migrated_app(app_factory, db_url):
    app = app_factory(SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_readyz_ok_at_head_then_503_when_behind(migrated_app):
    client = migrated_app.test_client()
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    assert "Set-Cookie" not in response.headers

    # One migration behind: the code expects a schema the database does not have yet.
    heads = health.migration_heads()
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(health.PROJECT_ROOT / "migrations"))
    previous = ScriptDirectory.from_config(config).get_revision(next(iter(heads))).down_revision
    stamp(revision=previous if isinstance(previous, str) else previous[0])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert "migration head" in response.get_json()["reason"]


def test_readyz_503_on_a_schema_never_migrated(app):
    # create_all makes the tables but no alembic_version: nobody ran `lms db upgrade`.
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "lms db upgrade" in response.get_json()["reason"]


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/lms?connect_timeout=2",
    "sqlite:////nonexistent-folder/lms.sqlite3",
], ids=["postgresql-refused", "sqlite-unopenable"])
def test_readyz_503_when_the_database_is_down(url, tmp_path):
    # Not app_factory: it would create the schema, and there is no database to create it in.
    down = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database unavailable"}
    assert "Set-Cookie" not in response.headers
    assert down.test_client().get("/healthz").status_code == 200


def test_health_endpoints_are_not_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                      RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert [client.get("/readyz").status_code for _ in range(5)] == [503] * 5  # limited, it would be 429
    assert [client.get("/login").status_code for _ in range(3)] == [200, 200, 429]  # the limit is on
