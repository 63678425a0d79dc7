"""Cache stamps: two numbers the database moves itself whenever what a cached page shows may have changed.

- `users.cache_stamp`: one person's own rows changed (their enrolments, module completions, quiz attempts,
  bookings, certificates).
- `cache_revision.stamp` (one row): anything shared changed — courses, modules, quizzes, labs and sessions,
  organisations, profiles, people and their roles: every table that is not a person's own (PERSONAL) and not
  one that no cached page shows (UNSHOWN).

Triggers move them, not application code, so that every writer counts: the ORM, Core upserts, `lms content
sync` in another process, an SQL statement run by hand. They are written in the writer's transaction, so a
reader sees a new stamp together with the data that moved it, never before. A stamp becomes max(old + 1,
now in microseconds): it never comes back to a value an old cache entry was keyed on, even after a restore.

Columns that change often and that no cached page shows move nothing (IGNORED_COLUMNS): a session's seat count
(every booking would otherwise invalidate every page), a user's last login and password hash.
"""
import time

import sqlalchemy as sa
from sqlalchemy import event, text

from lms.dbtypes import UTCDateTime
from lms.extensions import db

# Table -> the column naming the person whose pages the row shows on.
PERSONAL = {
    "enrolments": "user_id",
    "module_completions": "user_id",
    "quiz_attempts": "user_id",
    "bookings": "user_id",
    "certificates": "user_id",
}
# Shown on no cached page (the attempt page, the outbox, the maturity check are never cached) or checked on
# every request instead (tokens): they move no stamp.
# cache_revision itself is made with the schema, never backed up nor restored (lms.ops.backup).
UNSHOWN = frozenset({
    "quiz_responses", "outbox_messages", "scheduler_runs", "account_tokens", "api_tokens", "calendar_feeds",
    "rate_limit_counters", "assessments", "assessment_responses", "assessment_shares",
    "assessment_company_profiles", "cache_revision",
})
IGNORED_COLUMNS = {
    # A person's own settings move nothing: the key reads their language and time zone itself, and checks the
    # session key. Only what other people's pages show of them (name, e-mail, active) moves the site's stamp,
    # so a learner saving their settings never waits on the site's row (nor a content change on theirs).
    "users": ("cache_stamp", "last_login_at", "password_hash", "language", "timezone", "reminders_off",
              "session_key", "created_at"),
    # Each booking moves the seat count (and so updated_at); SQLite's booking lock sets sequence to itself.
    "lab_sessions": ("confirmed_count", "updated_at", "sequence"),
}

# Tables whose rows the schema makes (install, the migration): a backup leaves them out, a restore keeps the new ones.
MADE_WITH_THE_SCHEMA = frozenset({"cache_revision"})

cache_revision = sa.Table(
    "cache_revision", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("stamp", sa.BigInteger, nullable=False),
)

SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
PG_FUNCTIONS = [  # plain strings (no formatting: the SQL is written out whole)
    """CREATE OR REPLACE FUNCTION lms_cache_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once a transaction: its deferred triggers all fire at its commit, the first one moves the stamp.
  IF current_setting('lms.cache_moved', true) = txid_current()::text THEN RETURN NULL; END IF;
  PERFORM set_config('lms.cache_moved', txid_current()::text, true);
  UPDATE cache_revision SET stamp = greatest(stamp + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION lms_cache_personal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  people bigint[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN people := people || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint; END IF;
  IF TG_OP <> 'DELETE' THEN people := people || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint; END IF;
  UPDATE users SET cache_stamp = greatest(cache_stamp + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
   WHERE id = ANY(people);
  RETURN NULL;
END $$""",
]


def now_us() -> int:
    """Where a new revision row starts: past every stamp handed out before (a schema made again, a restore)."""
    return int(time.time() * 1_000_000)


def shared_tables(metadata) -> list[str]:
    return sorted(name for name in metadata.tables if name not in PERSONAL and name not in UNSHOWN)


def sqlite_ddl(table: str, columns: list[str]) -> list[str]:
    """The triggers of one table on SQLite (row triggers only; `UPDATE OF` leaves the ignored columns out)."""
    if table in PERSONAL:
        owner = PERSONAL[table]
        bump = f"UPDATE users SET cache_stamp = max(cache_stamp + 1, {SQLITE_NOW_US}) WHERE id IN"  # nosec B608 - constants
        return [
            f"CREATE TRIGGER IF NOT EXISTS cache_{table}_ai AFTER INSERT ON {table} BEGIN {bump} (NEW.{owner}); END",
            f"CREATE TRIGGER IF NOT EXISTS cache_{table}_au AFTER UPDATE ON {table} "
            f"BEGIN {bump} (OLD.{owner}, NEW.{owner}); END",
            f"CREATE TRIGGER IF NOT EXISTS cache_{table}_ad AFTER DELETE ON {table} BEGIN {bump} (OLD.{owner}); END",
        ]
    bump = f"BEGIN UPDATE cache_revision SET stamp = max(stamp + 1, {SQLITE_NOW_US}); END"  # nosec B608 - constants
    ignored = IGNORED_COLUMNS.get(table, ())
    of = f" OF {', '.join(c for c in columns if c not in ignored)}" if ignored else ""
    return [f"CREATE TRIGGER IF NOT EXISTS cache_{table}_ai AFTER INSERT ON {table} {bump}",
            f"CREATE TRIGGER IF NOT EXISTS cache_{table}_au AFTER UPDATE{of} ON {table} {bump}",
            f"CREATE TRIGGER IF NOT EXISTS cache_{table}_ad AFTER DELETE ON {table} {bump}"]


def postgresql_ddl(table: str) -> list[str]:
    """The triggers of one table on PostgreSQL: row triggers deferred to the commit, so that a transaction takes
    the stamps' row locks last, after every row of its own. (Taken at once, a learner completing a module would
    hold their users row while waiting for their enrolment, which a trainer's publish — recomputing every
    enrolment — holds while waiting for that users row: a deadlock.) The site's stamp moves once a transaction."""
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    drops = [f"DROP TRIGGER IF EXISTS cache_{table} ON {table}", f"DROP TRIGGER IF EXISTS cache_{table}_au ON {table}"]
    if table in PERSONAL:
        return [*drops, f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                        f"{deferred} EXECUTE FUNCTION lms_cache_personal('{PERSONAL[table]}')"]
    ignored = IGNORED_COLUMNS.get(table)
    if not ignored:
        return [*drops, f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                        f"{deferred} EXECUTE FUNCTION lms_cache_shared()"]
    minus = "".join(f" - '{c}'" for c in ignored)
    return [*drops,
            f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR DELETE ON {table} {deferred} "
            "EXECUTE FUNCTION lms_cache_shared()",
            f"CREATE CONSTRAINT TRIGGER cache_{table}_au AFTER UPDATE ON {table} {deferred} "
            f"WHEN ((to_jsonb(OLD){minus}) IS DISTINCT FROM (to_jsonb(NEW){minus})) "
            "EXECUTE FUNCTION lms_cache_shared()"]


def install(connection, metadata=db.metadata) -> None:
    """Create the triggers of every table in `metadata` that is not UNSHOWN, and the revision row."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for statement in PG_FUNCTIONS:
            connection.execute(text(statement))
    for name in sorted(set(shared_tables(metadata)) | set(PERSONAL)):
        if name not in metadata.tables:
            continue
        if dialect == "sqlite":
            statements = sqlite_ddl(name, [c.name for c in metadata.tables[name].columns])
        elif dialect == "postgresql":
            statements = postgresql_ddl(name)
        else:
            statements = []
        for statement in statements:
            connection.execute(text(statement))
    if connection.execute(sa.select(cache_revision.c.id)).first() is None:
        connection.execute(cache_revision.insert().values(id=1, stamp=now_us()))


@event.listens_for(db.metadata, "after_create")
def _after_create(metadata, connection, **kw):
    install(connection, metadata)


STAMP_OF_PERSON = text(
    "SELECT u.session_key, u.is_active, u.language, u.timezone, u.cache_stamp, r.stamp "
    "FROM users AS u CROSS JOIN cache_revision AS r WHERE u.id = :id AND r.id = 1")
STAMP = text("SELECT stamp FROM cache_revision WHERE id = 1")
STAMP_OF_TOKEN = text(
    "SELECT t.id, t.user_id, t.revoked_at, t.last_used_at, u.is_active, u.language, u.timezone, u.cache_stamp, r.stamp "
    "FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id CROSS JOIN cache_revision AS r "
    "WHERE t.token_hash = :hash AND r.id = 1").columns(
    sa.column("id"), sa.column("user_id"), sa.column("revoked_at", UTCDateTime), sa.column("last_used_at", UTCDateTime),
    sa.column("is_active"), sa.column("language"), sa.column("timezone"), sa.column("cache_stamp"), sa.column("stamp"))
