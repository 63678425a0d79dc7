"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect as sa_inspect

from lms.extensions import db

# Tables that the models do not describe on purpose (full-text index internals).
IGNORED_TABLES = {"alembic_version"}
# PostgreSQL-only: the stored tsvector column and its GIN index made by ensure_search_index (and the expression
# index they replaced).
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
