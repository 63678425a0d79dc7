"""Demo labs (loaded from labs/*.md), their dated sessions, bookings and calendar-feed links."""
import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db


class Lab(db.Model):
    __tablename__ = "labs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    seats: Mapped[int] = mapped_column(default=8)  # default capacity of a new session
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    coordinator_email: Mapped[str] = mapped_column(String(254), default="")
    minutes: Mapped[int | None]  # typical session length
    audience: Mapped[list] = mapped_column(JSON, default=list)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    fee: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # language -> the lab's texts in that language (labs/<language>/<slug>.md)
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    image: Mapped[str | None] = mapped_column(String(300))  # "media/<file>" under the labs folder
    # Hash of the lab file as last synced; None for a lab made in the browser, which sync leaves alone.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # removed from the files: hidden, kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<Lab {self.slug}>"

    def text(self, name: str, language: str):
        """A text field in `language` where the lab has a translation of it, else as written."""
        return (self.translations or {}).get(language, {}).get(name) or getattr(self, name)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# Who may book a session.
AUDIENCE_SIGNED_IN = "signed_in"
AUDIENCE_ORGANISATIONS = "organisations"
AUDIENCE_COURSE = "course"
AUDIENCES = (AUDIENCE_SIGNED_IN, AUDIENCE_ORGANISATIONS, AUDIENCE_COURSE)

# Booking statuses (the API's contract). A booking that is not cancelled is "active": one per person and
# session. Attended and no-show bookings still hold their seat.
CONFIRMED, WAITLISTED, CANCELLED, ATTENDED, NO_SHOW = "confirmed", "waitlisted", "cancelled", "attended", "no_show"
STATUSES = (CONFIRMED, WAITLISTED, CANCELLED, ATTENDED, NO_SHOW)
SEAT_STATUSES = (CONFIRMED, ATTENDED, NO_SHOW)


def new_uid() -> str:
    return uuid.uuid4().hex


class LabSession(db.Model):
    """One dated session of a lab with a number of seats.

    `confirmed_count` mirrors the bookings holding a seat; it is only changed by a conditional UPDATE
    (`... WHERE confirmed_count < capacity`) and a CHECK keeps it within the capacity, so two processes can
    never both take the last seat.
    """

    __tablename__ = "lab_sessions"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("confirmed_count >= 0 AND confirmed_count <= capacity", name="seats_within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lab_id: Mapped[int | None] = mapped_column(ForeignKey("labs.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")  # Markdown
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    audience: Mapped[str] = mapped_column(String(16), default=AUDIENCE_SIGNED_IN, server_default=AUDIENCE_SIGNED_IN)
    allowed_organisation_ids: Mapped[list] = mapped_column(JSON, default=list)
    allowed_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    booking_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: open as soon as published
    booking_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the cut-off; None: the start
    series_id: Mapped[str | None] = mapped_column(String(32), index=True)  # sessions made as one repeat
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "24h,2h": reminders this long before the start; None: LMS_REMINDER_OFFSETS; "": none.
    reminder_offsets: Mapped[str | None] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")  # iCalendar SEQUENCE of the session
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lab: Mapped[Lab | None] = relationship()
    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])
    bookings: Mapped[list["Booking"]] = relationship(back_populates="session", order_by="Booking.id")

    def __repr__(self):
        return f"<LabSession {self.id} {self.title!r} {self.starts_at:%Y-%m-%d %H:%M}>"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def cutoff(self) -> datetime:
        """Until when people may book and cancel."""
        return self.booking_closes_at or self.starts_at

    def is_past(self, now: datetime) -> bool:
        return now >= self.starts_at

    def is_open(self, now: datetime) -> bool:
        opens = self.booking_opens_at
        return not self.is_cancelled and (opens is None or now >= opens) and now < self.cutoff

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed_count)

    @property
    def waitlist(self) -> list["Booking"]:
        return sorted((b for b in self.bookings if b.status == WAITLISTED), key=lambda b: b.position or 0)

    @property
    def seat_holders(self) -> list["Booking"]:
        return [b for b in self.bookings if b.status in SEAT_STATUSES]


class Booking(db.Model):
    """A person's seat (or place in the waitlist) at a session.

    The partial unique index allows one active (not cancelled) booking per person and session, on SQLite and
    PostgreSQL alike; cancelled bookings stay as history. `uid` and `sequence` are the iCalendar identity.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        Index("uq_bookings_active_person", "session_id", "user_id", unique=True,
              sqlite_where=text("status <> 'cancelled'"), postgresql_where=text("status <> 'cancelled'")),
        CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show')",
                        name="known_status"),
        CheckConstraint("(status = 'waitlisted') = (position IS NOT NULL)", name="position_iff_waitlisted"),
        Index("ix_bookings_status_user_id", "status", "user_id"),  # attended / no-show people, for reports
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("lab_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    position: Mapped[int | None]  # in the waitlist, 1 = next in line
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[LabSession] = relationship(back_populates="bookings")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])

    def __repr__(self):
        return f"<Booking {self.id} {self.status}>"

    @property
    def is_active(self) -> bool:
        return self.status != CANCELLED

    def can_cancel(self, now: datetime) -> bool:
        """The person (or their manager) may cancel until the session's cut-off."""
        return self.status in (CONFIRMED, WAITLISTED) and not self.session.is_cancelled and now < self.session.cutoff


class CalendarFeed(db.Model):
    """A person's secret calendar-feed link; only the token's hash is kept. Deleting the row revokes it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
