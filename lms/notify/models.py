"""The outbox: every message the platform owes someone, written in the transaction of the change that causes it.

A row is sent by whichever process claims it first (`lms.notify.outbox.claim_due`): the web process right
after its commit for messages due now, the scheduler for the rest (reminders, retries, rows a dead process
had claimed). Its unique `key` keeps a message from being queued twice; its Message-ID is derived from the
key, so a re-send after a crash is the same message to a mailbox.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db

STATUSES = ("queued", "sending", "sent", "failed", "cancelled")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes the message unique, e.g. "reminder:booking=42:offset=24h" or "mail:<message-id>".
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # "mail", "reminder", "booking_confirmed", ...
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    raw: Mapped[str] = mapped_column(Text)  # the whole RFC 5322 message, as it will be sent
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # What the message is about, so that a change to it can move or drop its messages (e.g. "booking:42").
    topic: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the lease: past it, anyone may claim
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<OutboxMessage {self.key} {self.status}>"


class SchedulerRun(db.Model):
    """One row per scheduler process: when it last ran its job and what it did, for the admin page."""

    __tablename__ = "scheduler_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker: Mapped[str] = mapped_column(String(100), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent: Mapped[int] = mapped_column(default=0)
    last_failed: Mapped[int] = mapped_column(default=0)
