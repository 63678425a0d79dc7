"""Column types shared by every feature's models, how SQLite connections are set up, how a pooled PostgreSQL
connection is checked before use, and the INSERT with ON CONFLICT of the database in use."""
import select
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator


def upsert_insert(dialect_name: str):
    """The `insert` construct that has ON CONFLICT (do nothing / do update) for this database: PostgreSQL's or
    SQLite's (both speak the same clause)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC: the only kind of datetime the models store."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A datetime stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so without this a value would come back naive on SQLite and aware on
    PostgreSQL, and comparisons would break on one of them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_write_ahead_log(dbapi_connection, connection_record):
    """SQLite in WAL mode: readers never wait for a writer, and a commit is an append, not three fsyncs
    (synchronous=NORMAL: a power cut may lose the last commits, never corrupt the file). PostgreSQL, which
    production uses, is untouched."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()



@event.listens_for(Pool, "checkout")
def _drop_connections_the_server_closed(dbapi_connection, connection_record, connection_proxy):
    """A pooled PostgreSQL connection that the server ended (a restart, an idle timeout, pg_terminate_backend)
    is replaced before a request uses it, without a round trip: an idle connection's socket has nothing to read
    unless the server closed it (or sent a notice: the connection is then replaced needlessly, which is cheap).
    The pool's own pre-ping ("SELECT 1" at every checkout) was a tenth of an autosave's time.
    DisconnectionError makes the pool discard this connection and check out another (it tries three times)."""
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg's; SQLite's connections have nothing to check
    if pgconn is None:
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection was closed")
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN)
    if poller.poll(0):
        raise exc.DisconnectionError("the server ended the connection")
