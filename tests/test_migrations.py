"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect as sa_inspect

from lms import cachestamps
from lms.auth.models import User
from lms.extensions import db
from lms.profiles import rules
from tests.perf.test_page_cache import triggered_tables

# Tables that the models do not describe on purpose (full-text index internals).
IGNORED_TABLES = {"alembic_version"}
# PostgreSQL-only: the stored tsvector column and its GIN index made with the search_documents table (and the
# expression index they replaced).
IGNORED_INDEXES = {"ix_search_documents_tsv", "ix_search_documents_search_tsv"}
IGNORED_COLUMNS = {("search_documents", "search_tsv")}


def _include(obj, name, type_, reflected, compare_to):
    if type_ == "table" and (name in IGNORED_TABLES or (name or "").startswith("search_fts")):
        return False
    if type_ == "index" and name in IGNORED_INDEXES:
        return False
    if type_ == "column" and (getattr(obj, "table", None) is not None and (obj.table.name, name) in IGNORED_COLUMNS):
        return False
    return True


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _include})
    return compare_metadata(context, db.metadata)


@pytest.fixture
def empty_app(app_factory, db_url):
    app = app_factory(SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            if conn.dialect.name == "sqlite":
                for (name,) in conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'search_fts%'").all():
                    conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
            else:
                conn.exec_driver_sql("DROP TABLE IF EXISTS search_fts CASCADE")
        yield app
        db.session.remove()


def test_migrations_match_the_models(empty_app):
    upgrade()
    with db.engine.connect() as conn:
        assert _differences(conn) == []


def test_migrations_downgrade_to_nothing_and_up_again(empty_app):
    upgrade()
    downgrade(revision="base")
    with db.engine.connect() as conn:
        tables = set(sa_inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    with db.engine.connect() as conn:
        assert _differences(conn) == []


# The data migration that gives role holders who have none the profile their role now brings ----------------

BEFORE_PROFILES = "ccb52be91e20"  # the revision before f864fe601d3c (profiles for existing role holders)
THEN = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def _insert(conn, table, **values):
    """A row written as the schema of BEFORE_PROFILES holds it (not through today's models), returning its id."""
    types = {datetime: sa.DateTime(timezone=True), list: sa.JSON, bool: sa.Boolean}
    columns = [sa.column(name, types.get(type(value))) for name, value in values.items()]
    return conn.execute(sa.table(table, *columns, sa.column("id")).insert().returning(sa.column("id")),
                        values).scalar_one()


def _person(conn, email, name, roles, active=True, organisations=()):
    user_id = _insert(conn, "users", email=email, name=name, timezone="Europe/Rome", reminders_off=[],
                      is_active=active, session_key=email, created_at=THEN)
    for role in roles:
        _insert(conn, "user_roles", user_id=user_id, role=role)
    for organisation_id in organisations:
        _insert(conn, "memberships", organisation_id=organisation_id, user_id=user_id, role="member",
                created_at=THEN)
    return user_id


def test_role_holders_without_a_profile_get_one_as_the_role_grant_makes_it(empty_app):
    upgrade(revision=BEFORE_PROFILES)
    with db.engine.begin() as conn:
        org = {name: _insert(conn, "organisations", name=name, kind=kind, city="", website="", created_at=THEN)
               for name, kind in (("Acme Srl", "company"), ("ITS Meccatronica", "its"), ("Beta Spa", "company"))}
        ids = {
            "kept": _person(conn, "k@example.com", "Giulia Ferri", ["trainer"]),
            "trainer": _person(conn, "t@example.com", "Giulia Ferri", ["trainer", "learner"],
                               organisations=[org["Beta Spa"], org["ITS Meccatronica"], org["Acme Srl"]]),
            "its": _person(conn, "i@example.com", "Nicolò D'Amico", ["its_staff"],
                           organisations=[org["Beta Spa"], org["Acme Srl"]]),
            "reserved": _person(conn, "a@example.com", "Add", ["trainer"]),
            "nameless": _person(conn, "w@example.com", "王小明", ["trainer"]),
            "learner": _person(conn, "l@example.com", "Lea Learner", ["learner"], organisations=[org["Acme Srl"]]),
            "deactivated": _person(conn, "d@example.com", "Dario Spento", ["trainer"], active=False),
        }
        _insert(conn, "profiles", user_id=ids["kept"], slug="giulia-ferri", headline="Kept", bio="", languages=["it"],
                show_email=False, phone="", website="", linkedin_url="", visibility="public",
                is_listed_by_admin=False, created_at=THEN, updated_at=THEN)
    upgrade()
    with db.engine.connect() as conn:
        rows = {row.user_id: row for row in conn.execute(sa.text("SELECT * FROM profiles"))}
    assert {user: rows[i].slug for user, i in ids.items() if i in rows} == {
        "kept": "giulia-ferri", "trainer": "giulia-ferri-2", "its": "nicolo-d-amico", "reserved": "add-2",
        "nameless": "person"}
    assert rows[ids["kept"]].headline == "Kept"  # a profile someone has is left as it is
    assert rows[ids["trainer"]].organisation_id == org["ITS Meccatronica"]  # the ITS foundation first
    assert rows[ids["its"]].organisation_id == org["Acme Srl"]  # else the first organisation by name
    assert rows[ids["reserved"]].organisation_id is None

    # The app reads what the migration wrote as it reads the profiles it makes itself.
    made = rules.profile_of(db.session.get(User, ids["trainer"]))
    assert (made.headline, made.bio, made.languages, made.visibility, made.is_listed_by_admin, made.photo,
            made.show_email, made.phone, made.website, made.linkedin_url) == (
        "", "", [], "signed_in", False, None, False, "", "", "")
    assert made.created_at.tzinfo is not None and made.created_at == made.updated_at > THEN
    assert rules.ensure_profiles(THEN) == 0  # nobody the role grant would still give a profile
    db.session.rollback()

    downgrade(revision=BEFORE_PROFILES)  # the profiles stay: they may have been filled in since
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM profiles")).scalar_one() == 5


def test_migrations_install_the_page_cache_triggers_the_models_do(empty_app):
    """Every table a kept page may show moves a cache stamp in a migrated database too (lms/cachestamps.py)."""
    upgrade()
    with db.engine.connect() as conn:
        assert triggered_tables(conn) == set(cachestamps.PERSONAL) | set(cachestamps.shared_tables(db.metadata))
        assert conn.execute(cachestamps.STAMP).scalar() > 1_700_000_000 * 1_000_000  # now, in microseconds
