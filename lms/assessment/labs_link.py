"""The assessment's only door into the labs feature: a lab by slug, its next sessions, and booking a seat through
lms.labs' own rule (`book_seat`), so capacity, waitlists and cut-offs are decided there and nowhere else."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lms.extensions import db
from lms.labs.booking import active_booking, book_seat
from lms.labs.errors import LabError
from lms.labs.models import Lab, LabSession

UPCOMING = 3


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    starts_at: datetime
    seats_left: int


def lab(slug: str) -> Lab | None:
    return db.session.scalar(select(Lab).where(Lab.slug == slug, Lab.archived_at.is_(None)))


def _upcoming(lab_row: Lab, now: datetime, limit: int):
    return list(db.session.scalars(
        select(LabSession).where(LabSession.lab_id == lab_row.id, LabSession.cancelled_at.is_(None),
                                 LabSession.starts_at > now).order_by(LabSession.starts_at).limit(limit)))


def upcoming_sessions(lab_row: Lab, now: datetime, limit: int = UPCOMING) -> list[SessionInfo]:
    return [SessionInfo(s.id, s.title, s.starts_at, max(0, s.capacity - s.confirmed_count))
            for s in _upcoming(lab_row, now, limit)]


def book_next_session(lab_slug: str, person, *, by, now: datetime) -> tuple[str, object]:
    """Book `person` into the next session of the lab that takes the booking (a seat or the waitlist).

    Returns (outcome, detail): ("booked", booking), ("already", booking) when the person already holds one for
    an upcoming session of the lab, ("no_session", None) when no session is open, or ("refused", message) with
    the labs rule's last reason.
    """
    lab_row = lab(lab_slug)
    if lab_row is None:
        return "no_session", None
    sessions = _upcoming(lab_row, now, 10)
    for session in sessions:
        existing = active_booking(session, person)
        if existing is not None:
            return "already", existing
    reason = None
    for session in sessions:
        try:
            with db.session.begin_nested():
                return "booked", book_seat(session, person, by=by, now=now)
        except LabError as exc:
            reason = str(exc)
    return ("refused", reason) if reason else ("no_session", None)
