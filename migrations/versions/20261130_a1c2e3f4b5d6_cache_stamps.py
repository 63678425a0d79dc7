"""Cache stamps for the page cache (lms/pagecache.py): users.cache_stamp, the one-row cache_revision table, and
the triggers that move them whenever a row a cached page may show changes (lms/cachestamps.py explains which).

The table lists and the trigger text are copies, on purpose, of lms.cachestamps as it stands at this revision:
a later change there must not change what this revision did (a later revision adds its own triggers).

Revision ID: a1c2e3f4b5d6
Revises: f864fe601d3c
Create Date: 2026-11-30 09:00:00

"""
import time

import sqlalchemy as sa
from alembic import op

revision = 'a1c2e3f4b5d6'
down_revision = 'f864fe601d3c'
branch_labels = None
depends_on = None

PERSONAL = {'enrolments': 'user_id', 'module_completions': 'user_id', 'quiz_attempts': 'user_id',
            'bookings': 'user_id', 'certificates': 'user_id'}
SHARED = ['cohort_members', 'cohorts', 'courses', 'lab_sessions', 'labs', 'memberships', 'module_revisions',
          'modules', 'organisations', 'profile_competences', 'profiles', 'quiz_questions', 'quizzes',
          'search_documents', 'user_roles', 'users']
IGNORED_COLUMNS = {'users': ('cache_stamp', 'last_login_at', 'password_hash', 'language', 'timezone',
                             'reminders_off', 'session_key', 'created_at'),
                   'lab_sessions': ('confirmed_count', 'updated_at', 'sequence')}
SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
PG_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION lms_cache_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('lms.cache_moved', true) = txid_current()::text THEN RETURN NULL; END IF;
  PERFORM set_config('lms.cache_moved', txid_current()::text, true);
  UPDATE cache_revision SET stamp = greatest(stamp + 1, {PG_NOW_US});
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION lms_cache_personal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  people bigint[] := '{{}}';
BEGIN
  IF TG_OP <> 'INSERT' THEN people := people || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint; END IF;
  IF TG_OP <> 'DELETE' THEN people := people || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint; END IF;
  UPDATE users SET cache_stamp = greatest(cache_stamp + 1, {PG_NOW_US}) WHERE id = ANY(people);
  RETURN NULL;
END $$""",
]


def _sqlite(table, columns):
    if table in PERSONAL:
        owner = PERSONAL[table]
        bump = f"UPDATE users SET cache_stamp = max(cache_stamp + 1, {SQLITE_NOW_US}) WHERE id IN"
        return [f"CREATE TRIGGER cache_{table}_ai AFTER INSERT ON {table} BEGIN {bump} (NEW.{owner}); END",
                f"CREATE TRIGGER cache_{table}_au AFTER UPDATE ON {table} BEGIN {bump} (OLD.{owner}, NEW.{owner}); END",
                f"CREATE TRIGGER cache_{table}_ad AFTER DELETE ON {table} BEGIN {bump} (OLD.{owner}); END"]
    bump = f"BEGIN UPDATE cache_revision SET stamp = max(stamp + 1, {SQLITE_NOW_US}); END"
    ignored = IGNORED_COLUMNS.get(table, ())
    of = f" OF {', '.join(c for c in columns if c not in ignored)}" if ignored else ""
    return [f"CREATE TRIGGER cache_{table}_ai AFTER INSERT ON {table} {bump}",
            f"CREATE TRIGGER cache_{table}_au AFTER UPDATE{of} ON {table} {bump}",
            f"CREATE TRIGGER cache_{table}_ad AFTER DELETE ON {table} {bump}"]


def _postgresql(table):
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    if table in PERSONAL:
        return [f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} {deferred} "
                f"EXECUTE FUNCTION lms_cache_personal('{PERSONAL[table]}')"]
    ignored = IGNORED_COLUMNS.get(table)
    if not ignored:
        return [f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} {deferred} "
                "EXECUTE FUNCTION lms_cache_shared()"]
    minus = "".join(f" - '{c}'" for c in ignored)
    return [f"CREATE CONSTRAINT TRIGGER cache_{table} AFTER INSERT OR DELETE ON {table} {deferred} "
            "EXECUTE FUNCTION lms_cache_shared()",
            f"CREATE CONSTRAINT TRIGGER cache_{table}_au AFTER UPDATE ON {table} {deferred} "
            f"WHEN ((to_jsonb(OLD){minus}) IS DISTINCT FROM (to_jsonb(NEW){minus})) "
            "EXECUTE FUNCTION lms_cache_shared()"]


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('cache_stamp', sa.BigInteger(), server_default='0', nullable=False))
    op.create_table('cache_revision', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('stamp', sa.BigInteger(), nullable=False), sa.PrimaryKeyConstraint('id'))
    # Past every stamp handed out before: a revision never comes back to a value a kept page was keyed on.
    op.execute(f"INSERT INTO cache_revision (id, stamp) VALUES (1, {int(time.time() * 1_000_000)})")
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if bind.dialect.name == 'postgresql':
        for statement in PG_FUNCTIONS:
            op.execute(statement)
    for table in sorted(set(SHARED) | set(PERSONAL)):
        if bind.dialect.name == 'sqlite':
            statements = _sqlite(table, [c['name'] for c in inspector.get_columns(table)])
        else:
            statements = _postgresql(table)
        for statement in statements:
            op.execute(statement)


def downgrade():
    bind = op.get_bind()
    for table in sorted(set(SHARED) | set(PERSONAL)):
        if bind.dialect.name == 'sqlite':
            for suffix in ('ai', 'au', 'ad'):
                op.execute(f"DROP TRIGGER IF EXISTS cache_{table}_{suffix}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS cache_{table} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS cache_{table}_au ON {table}")
    if bind.dialect.name == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS lms_cache_shared()")
        op.execute("DROP FUNCTION IF EXISTS lms_cache_personal()")
    op.drop_table('cache_revision')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('cache_stamp')
