"""Queue, move, drop, claim and deliver outbox rows. No Flask here: callers pass the session, `now` and config.

Claiming is a conditional UPDATE (`... WHERE id = :id AND <still claimable>`): of two processes that
race for one row, the database lets exactly one update it, on SQLite and PostgreSQL alike. A claim is
a lease: a process that dies holding it (kill -9) leaves a row that anyone may claim again once the
lease has run out, so nothing is lost; the re-send carries the same Message-ID.
"""
import hashlib
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import parseaddr

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from lms.notify.models import OutboxMessage

MAX_ATTEMPTS = 5
LEASE_SECONDS = 60
BACKOFF_SECONDS = 60  # after the n-th failure, wait BACKOFF_SECONDS * 2**(n-1), at most an hour


def message_id_for(key: str, mail_from: str) -> str:
    """A Message-ID that depends only on the row's key: a re-sent message is the same message."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "officina.example"
    return f"<outbox.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def enqueue(session: Session, msg: EmailMessage, *, key: str, kind: str, due_at: datetime, mail_from: str,
            user_id: int | None = None, topic: str | None = None) -> OutboxMessage:
    """Owe `msg` from `due_at` on, in the caller's transaction. The same key again moves and rewrites a row
    not yet sent (a moved session's reminder); a row already sent or being sent is left alone."""
    del msg["Message-ID"]
    msg["Message-ID"] = message_id_for(key, mail_from)
    raw = msg.as_string(policy=policy.SMTP)
    # populate_existing: a cancel() just before (a bulk UPDATE) must be seen by a row already loaded.
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key).execution_options(populate_existing=True))
    if row is None:
        row = OutboxMessage(key=key, kind=kind, recipient=str(msg["To"]), subject=str(msg["Subject"] or "")[:300],
                            raw=raw, user_id=user_id, topic=topic, status="queued", due_at=due_at, attempts=0)
        session.add(row)
    elif row.status in ("queued", "failed", "cancelled"):
        row.raw, row.due_at, row.status, row.attempts = raw, due_at, "queued", 0
        row.recipient, row.subject, row.last_error, row.claimed_by, row.claimed_until = (
            str(msg["To"]), str(msg["Subject"] or "")[:300], None, None, None)
    session.flush()
    return row


def cancel(session: Session, topic: str, kinds: tuple[str, ...] | None = None, *, key_prefix: str | None = None) -> int:
    """Drop the unsent messages about `topic` (of `kinds`, or every kind); how many."""
    stmt = update(OutboxMessage).where(OutboxMessage.topic == topic, OutboxMessage.status == "queued")
    if kinds:
        stmt = stmt.where(OutboxMessage.kind.in_(kinds))
    if key_prefix:
        stmt = stmt.where(OutboxMessage.key.startswith(key_prefix, autoescape=True))
    return session.execute(stmt.values(status="cancelled").execution_options(synchronize_session=False)).rowcount


def _claimable(now: datetime):
    return or_(and_(OutboxMessage.status == "queued", OutboxMessage.due_at <= now),
               and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now))


def claim(session: Session, row_ids: list[int], *, worker: str, now: datetime, lease: int = LEASE_SECONDS) -> list[int]:
    """Take the rows of `row_ids` that are still claimable, in one UPDATE; commits, so the claim is visible to
    others. Returns the ids this worker now holds (`worker` must be unique to this call: see dispatch_due)."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(row_ids), _claimable(now))
        .values(status="sending", claimed_by=worker, claimed_until=now + timedelta(seconds=lease),
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    session.commit()
    return list(session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.id.in_(row_ids), OutboxMessage.claimed_by == worker, OutboxMessage.status == "sending")
        .order_by(OutboxMessage.due_at, OutboxMessage.id)))


def due_ids(session: Session, now: datetime, limit: int = 200, ids: list[int] | None = None) -> list[int]:
    stmt = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.due_at, OutboxMessage.id)
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    return list(session.scalars(stmt.limit(limit)))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # failed for good this time (retries are not counted)
    retried: int = 0


def deliver(session: Session, row_id: int, *, worker: str, now: datetime, send: Callable[[EmailMessage], None],
            result: Delivery):
    """Send a row this worker has claimed, then mark it sent, or due again later, or failed after
    MAX_ATTEMPTS tries. Commits."""
    row = session.get(OutboxMessage, row_id)
    if row is None or row.claimed_by != worker or row.status != "sending":
        return
    msg = message_from_string(row.raw)  # the compat32 parser: 10x faster, and sending needs no more
    try:
        send(msg)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            values = {"status": "failed"}
            result.failed += 1
        else:
            values = {"status": "queued", "due_at": now + backoff(row.attempts)}
            result.retried += 1
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker)
                        .values(last_error=error, claimed_by=None, claimed_until=None, **values)
                        .execution_options(synchronize_session=False))
    else:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker)
                        .values(status="sent", sent_at=now, claimed_until=None, last_error=None)
                        .execution_options(synchronize_session=False))
        result.sent += 1
    session.commit()


def dispatch_due(session: Session, *, worker: str, clock: Callable[[], datetime],
                 send: Callable[[EmailMessage], None], limit: int = 5000, ids: list[int] | None = None,
                 lease: int = LEASE_SECONDS, batch: int = 100) -> Delivery:
    """Claim what is due (only `ids`, when given) a batch at a time, oldest first, and send it. Each row is
    marked sent on its own as soon as it is sent, so a crash re-sends at most the message in hand. `clock`
    is read at each claim, so a slow run never hands out a lease that has already run out."""
    result = Delivery()
    handled = 0
    while handled < limit:
        candidates = due_ids(session, clock(), min(batch, limit - handled), ids)
        if not candidates:
            break
        claim_id = f"{worker}:{secrets.token_hex(4)}"[:100]  # tells this claim's rows from any other's
        for row_id in claim(session, candidates, worker=claim_id, now=clock(), lease=lease):
            deliver(session, row_id, worker=claim_id, now=clock(), send=send, result=result)
        handled += len(candidates)
    return result
