"""Search on PostgreSQL: each row's tsvector is stored in a generated column (search_tsv) with a GIN index,
replacing the expression index, so a search no longer computes to_tsvector over every row's text and ts_rank
reads the stored vector. Nothing changes on SQLite (its FTS5 table is kept by triggers).

Revision ID: e5b6c7d8f9a0
Revises: f3fdbda43379
Create Date: 2026-11-30 04:05:00

"""
from alembic import op

revision = 'e5b6c7d8f9a0'
down_revision = 'f3fdbda43379'
branch_labels = None
depends_on = None

# Frozen as they were when this revision was written (lms.courses.search may change).
TSVECTOR = ("setweight(to_tsvector('simple'::regconfig, coalesce(index_title, '')), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, coalesce(index_body, '')), 'B')")
UPGRADE = [
    f"ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS ({TSVECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_search_tsv ON search_documents USING GIN (search_tsv)",
    "DROP INDEX IF EXISTS ix_search_documents_tsv",
]
DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_search_documents_search_tsv",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS search_tsv",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_tsv ON search_documents USING GIN "
    "((setweight(to_tsvector('simple'::regconfig, coalesce(search_documents.index_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_documents.index_body, '')), 'B')))",
]


def _run(statements):
    if op.get_bind().dialect.name == "postgresql":
        for statement in statements:
            op.execute(statement)


def upgrade():
    _run(UPGRADE)


def downgrade():
    _run(DOWNGRADE)
