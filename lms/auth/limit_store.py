"""Rate-limit counters in the application's database, shared by every worker on every host.

Flask-Limiter keeps its counters in memory unless told otherwise, so with several gunicorn workers each one
counted on its own and the login limit silently multiplied. Without LMS_REDIS_URL the counters live here
instead (storage URI `lmsdb://`): one row per key and fixed window, bumped with one atomic upsert on a
connection of its own, so the count holds whatever the request's own transaction does afterwards.
"""
import hashlib
import random
import time

from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from lms.dbtypes import upsert_insert
from lms.extensions import db

STORAGE_URI = "lmsdb://"
_MAX_KEY = 255


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(_MAX_KEY), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_at: Mapped[float] = mapped_column(Float, nullable=False, index=True)  # Unix time: the window's end


def _key(key: str) -> str:
    # A key carries what the visitor typed (an e-mail address): a long one is hashed to fit the column.
    if len(key) <= _MAX_KEY:
        return key
    return key[:100] + "#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class DatabaseStorage(Storage):
    """A `limits` storage for the fixed-window strategy (Flask-Limiter's default) over SQLAlchemy."""

    STORAGE_SCHEME = ["lmsdb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        with db.engine.begin() as conn:
            expired = table.c.expires_at <= now
            stmt = upsert_insert(conn.dialect.name)(table).values(key=_key(key), count=amount, expires_at=now + expiry)
            stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
                "count": case((expired, amount), else_=table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            }).returning(table.c.count)
            count = conn.execute(stmt).scalar_one()
            if random.random() < 0.01:  # now and then, forget windows that ended long ago
                conn.execute(delete(table).where(table.c.expires_at < now - 3600))
        return count

    def _row(self, key: str):
        table = RateLimitCounter.__table__
        with db.engine.connect() as conn:
            return conn.execute(select(table.c.count, table.c.expires_at).where(
                table.c.key == _key(key), table.c.expires_at > time.time())).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter.__table__).where(RateLimitCounter.key == _key(key)))

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True
