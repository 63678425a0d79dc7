"""Fixtures: app, client, runner, a login helper, factories, db_url over SQLite and PostgreSQL, fresh PostgreSQL
databases and a real SMTP server (made of tests/support.py)."""
import os
import shutil

import flask_babel
import pytest
from flask import g

from lms import create_app
from lms.auth import passwords
from lms.extensions import db as _db
from tests import speedups
from tests.support import fresh_postgres_database, running_smtp_sink

# Argon2 at its cheapest: a hash costs ~0.1 s with production parameters and tests make hundreds.
passwords.set_parameters(time_cost=1, memory_cost=8, parallelism=1)
# URL builders and compiled templates once per process, not once per test's app (tests/speedups.py).
speedups.install()

pytest_plugins = ["tests.browser_fixtures"]

PASSWORD = "correct-horse-battery"
SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")


def base_config(tmp_path, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "PENDING_DIR": str(tmp_path / "pending"),
        "BASE_URL": "http://localhost",
    }
    config.update(extra)
    return config


def _fresh_request_state():
    """Tests keep an app context pushed, which the test client then reuses for its requests: forget what
    Flask-Login, Flask-WTF and Flask-Babel cached in it, so each request chooses its user, CSRF token and language,
    as in production."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    flask_babel.refresh()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An SQLite file with the schema made from the models, once per run: copying it is ~100x faster than
    create_all, which was most of a test's set-up."""
    folder = tmp_path_factory.mktemp("schema")
    app = create_app(base_config(folder))
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()
    return folder / "test.sqlite3"


@pytest.fixture
def app_factory(tmp_path, sqlite_template):
    """Build an app with extra config; its schema is created from the models (on the default SQLite file,
    by copying the run's template)."""
    made = []

    def make(**extra):
        config = base_config(tmp_path, **extra)
        default_file = tmp_path / "test.sqlite3"
        copied = config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{default_file}" and not default_file.exists()
        if copied:
            shutil.copyfile(sqlite_template, default_file)
        app = create_app(config)
        app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_state)  # before any reads them
        if not copied:  # the template has the schema; anywhere else it is made from the models
            with app.app_context():
                _db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    from lms.auth import accounts

    def make(email="learner@example.com", name="Lea Learner", roles=("learner",), password=PASSWORD):
        user = accounts.create_user(email, name, roles=roles, password=password)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    def do(email="learner@example.com", password=PASSWORD, follow=False):
        return client.post("/login", data={"email": email, "password": password}, follow_redirects=follow)

    return do


def outbox(app):
    """The .eml files written so far, parsed, oldest first."""
    import email
    from email import policy
    from pathlib import Path

    folder = Path(app.config["OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


# PostgreSQL: one fresh database per test run, dropped at the end ------------------------------------

@pytest.fixture(scope="session")
def postgres_url():
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def fresh_postgres_url():
    """A PostgreSQL database of this test's own (for tests that run servers on it and need it empty)."""
    with fresh_postgres_database() as url:
        yield url


# A real SMTP server ------------------------------------------------------------------------------------------

@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on loopback; `.port`, and `.messages` as they arrive."""
    with running_smtp_sink() as sink:
        yield sink


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL for tests that must hold on SQLite and on PostgreSQL (transactions, locking)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def fresh_schema(app_factory, url):
    """Yield an app on `url` with an empty schema made from the models (in its app context); drop it after."""
    app = app_factory(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        yield app
        _db.session.remove()
        _db.drop_all()


@pytest.fixture
def db_app(app_factory, db_url):
    """An app on `db_url` (SQLite, then PostgreSQL) with an empty schema made from the models."""
    yield from fresh_schema(app_factory, db_url)


def pytest_collection_modifyitems(items):
    """Markers that select what they say: `-m postgres` is every test that reaches PostgreSQL (through
    postgres_url, or the PostgreSQL side of db_url), `-m browser` every test that drives Chromium."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if names & {"postgres_url", "fresh_postgres_url"} or "postgresql" in params.values():
            item.add_marker(pytest.mark.postgres)
        if names & {"browser", "page", "in_browser"}:
            item.add_marker(pytest.mark.browser)
