"""Session rules: create (once or as a series), edit, move, resize, cancel; overlap checks.

Plain functions with `now` a parameter; they add and flush, the caller commits. A lab cannot hold two
overlapping sessions and a trainer cannot run two at once: the error names the session in the way.
"""
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.labs import booking as rules
from lms.labs import notify, reminders
from lms.labs.errors import CONFLICT, FORBIDDEN, LabError
from lms.labs.models import AUDIENCES, CANCELLED, CONFIRMED, SEAT_STATUSES, Lab, LabSession
from lms.notify.offsets import OffsetError, parse_offsets

MAX_LENGTH = timedelta(days=7)
MAX_OCCURRENCES = 52


@dataclass
class SessionDetails:
    """What a coordinator sets on a session (a form or an API body, already parsed)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    lab: Lab | None = None
    topic: str = ""
    description: str = ""
    trainer: User | None = None
    audience: str = "signed_in"
    organisation_ids: list = field(default_factory=list)
    course_id: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    reminder_offsets: str | None = None  # None: the platform's default (LMS_REMINDER_OFFSETS)


def _when(value: datetime) -> str:
    return format_datetime(value, "short")


def validate(details: SessionDetails, now: datetime, *, new: bool = True):
    """:raise LabError: a missing title, end before start, seats ≤ 0, a start in the past, a bad window."""
    if not details.title or not details.title.strip():
        raise LabError(str(_l("A session needs a title.")), field="title")
    if len(details.title) > 200 or len(details.topic or "") > 200 or len(details.description or "") > 50_000:
        raise LabError(str(_l("The title and topic take at most 200 characters, the description 50,000.")),
                       field="title")
    if any("\x00" in (text or "") for text in (details.title, details.topic, details.description)):
        raise LabError(str(_l("The text contains a NUL character, which cannot be stored.")), field="title")
    if details.ends_at <= details.starts_at:
        raise LabError(str(_l("The session must end after it starts.")), field="ends_at")
    if details.reminder_offsets is not None:
        try:
            parse_offsets(details.reminder_offsets)
        except OffsetError:
            raise LabError(str(_l("Write reminders as times before the start, separated by commas, e.g. 24h, 2h "
                                  "or 30m (d = days, h = hours, m = minutes); leave empty for none.")),
                           field="reminder_offsets") from None
    if details.ends_at - details.starts_at > MAX_LENGTH:
        raise LabError(str(_l("A session lasts at most 7 days.")), field="ends_at")
    if new and details.starts_at <= now:
        raise LabError(str(_l("The start is in the past.")), field="starts_at")
    if (isinstance(details.capacity, bool) or not isinstance(details.capacity, int)
            or not 1 <= details.capacity <= 10_000):
        raise LabError(str(_l("Seats must be a whole number from 1 to 10000.")), field="capacity")
    if details.audience not in AUDIENCES:
        raise LabError(str(_l("Choose who may book.")), field="audience")
    if details.audience == "organisations" and not details.organisation_ids:
        raise LabError(str(_l("Choose at least one organisation whose members may book.")), field="organisations")
    if details.audience == "course" and not details.course_id:
        raise LabError(str(_l("Choose the course whose learners may book.")), field="course")
    if details.closes_at is not None and details.closes_at > details.starts_at:
        raise LabError(str(_l("Booking must close by the start of the session.")), field="closes_at")
    if details.opens_at is not None and details.opens_at >= (details.closes_at or details.starts_at):
        raise LabError(str(_l("Booking must open before it closes.")), field="opens_at")


def check_overlaps(lab: Lab | None, trainer: User | None, starts_at: datetime, ends_at: datetime,
                   exclude_ids=()):
    """:raise LabError: the lab or the trainer already has a session at that time (named in the message)."""
    clash = (LabSession.cancelled_at.is_(None), LabSession.starts_at < ends_at, LabSession.ends_at > starts_at,
             LabSession.id.not_in(list(exclude_ids) or [0]))
    if lab is not None:
        other = db.session.scalar(select(LabSession).where(LabSession.lab_id == lab.id, *clash)
                                  .order_by(LabSession.starts_at))
        if other is not None:
            raise LabError(str(_l("%(lab)s already holds “%(title)s” from %(start)s to %(end)s.", lab=lab.name,
                                  title=other.title, start=_when(other.starts_at), end=_when(other.ends_at))),
                           CONFLICT, field="starts_at")
    if trainer is not None:
        other = db.session.scalar(select(LabSession).where(LabSession.trainer_id == trainer.id, *clash)
                                  .order_by(LabSession.starts_at))
        if other is not None:
            raise LabError(str(_l("%(trainer)s is already running “%(title)s” from %(start)s to %(end)s.",
                                  trainer=trainer.name, title=other.title, start=_when(other.starts_at),
                                  end=_when(other.ends_at))), CONFLICT, field="trainer")


def _apply(session: LabSession, details: SessionDetails):
    session.title = details.title.strip()
    session.topic = (details.topic or "").strip()
    session.description = details.description or ""
    session.lab = details.lab
    session.trainer = details.trainer
    session.audience = details.audience
    session.allowed_organisation_ids = sorted({int(i) for i in details.organisation_ids or []})
    session.allowed_course_id = details.course_id if details.audience == "course" else None
    session.booking_opens_at = details.opens_at
    session.booking_closes_at = details.closes_at
    if details.reminder_offsets is not None:
        session.reminder_offsets = ", ".join(label for label, _delta in parse_offsets(details.reminder_offsets))


def create_sessions(details: SessionDetails, starts: list[datetime] | None = None, *, by: User,
                    now: datetime) -> list[LabSession]:
    """One session, or a series: one per start in `starts` (same length and booking window offsets).

    Every occurrence is checked before any is added, so a clash in week 5 adds nothing.
    :raise LabError: invalid details, `by` may not manage the lab, or a clash (the message names the date).
    """
    from lms.labs.access import can_manage_lab

    if not can_manage_lab(by, details.lab):
        raise LabError(str(_l("You do not coordinate this lab.")), FORBIDDEN, field="lab")
    starts = sorted(set(starts or [details.starts_at]))
    if len(starts) > MAX_OCCURRENCES:
        raise LabError(str(_l("A series has at most %(n)d sessions.", n=MAX_OCCURRENCES)), field="repeat")
    length = details.ends_at - details.starts_at
    made = []
    series_id = uuid.uuid4().hex if len(starts) > 1 else None
    for start in starts:
        shift = start - details.starts_at
        occurrence = SessionDetails(**{**details.__dict__, "starts_at": start, "ends_at": start + length,
                                       "opens_at": details.opens_at and details.opens_at + shift,
                                       "closes_at": details.closes_at and details.closes_at + shift})
        validate(occurrence, now)
        check_overlaps(occurrence.lab, occurrence.trainer, occurrence.starts_at, occurrence.ends_at)
        for earlier in made:  # the series must not collide with itself either
            if earlier.starts_at < occurrence.ends_at and earlier.ends_at > occurrence.starts_at:
                raise LabError(str(_l("Two sessions of the series overlap on %(when)s.", when=_when(start))),
                               CONFLICT, field="repeat")
        session = LabSession(starts_at=occurrence.starts_at, ends_at=occurrence.ends_at,
                             capacity=occurrence.capacity, series_id=series_id, created_by_id=by.id, created_at=now)
        _apply(session, occurrence)
        db.session.add(session)
        db.session.flush()
        made.append(session)
    return made


def weekly_starts(first: datetime, weeks: int, tz_name: str) -> list[datetime]:
    """The same local time on `weeks` consecutive weeks (09:00 stays 09:00 across a clock change), in UTC.

    :raise LabError: a week where that local time does not exist.
    """
    from lms.labs.times import local_to_utc, zone

    if not 1 <= weeks <= MAX_OCCURRENCES:
        raise LabError(str(_l("Repeat for 1 to %(n)d weeks.", n=MAX_OCCURRENCES)), field="repeat")
    local = first.astimezone(zone(tz_name))
    return [local_to_utc((local + timedelta(weeks=i)).date(), local.time().replace(tzinfo=None), tz_name, "repeat")
            for i in range(weeks)]


def update_session(session: LabSession, details: SessionDetails, *, by: User, now: datetime,
                   move_to_waitlist=()) -> LabSession:
    """Edit a session: texts, trainer, who may book, window, time (a move) and seats (a resize).

    A move tells everyone booked and raises the calendar sequence; seats follow `booking.set_capacity`.
    :raise LabError: the session is cancelled or over, invalid details, or a clash.
    """
    if session.is_cancelled:
        raise LabError(str(_l("This session has been cancelled.")), CONFLICT)
    if session.ends_at <= now:
        raise LabError(str(_l("This session is over and can no longer be changed.")), CONFLICT)
    from lms.labs.access import can_manage_lab

    if details.lab is not session.lab and not can_manage_lab(by, details.lab):
        raise LabError(str(_l("You do not coordinate this lab.")), FORBIDDEN, field="lab")
    moved = (details.starts_at, details.ends_at) != (session.starts_at, session.ends_at)
    validate(details, now, new=moved)
    check_overlaps(details.lab, details.trainer, details.starts_at, details.ends_at, exclude_ids=[session.id])
    if details.capacity != session.capacity:
        rules.set_capacity(session, details.capacity, now=now, move_to_waitlist=move_to_waitlist)
    offsets_before = session.reminder_offsets
    _apply(session, details)
    if session.reminder_offsets != offsets_before and not moved:
        for booking in session.bookings:
            if booking.status == CONFIRMED:
                reminders.sync_reminders(booking, now)
    if moved:
        session.starts_at, session.ends_at = details.starts_at, details.ends_at
        session.sequence += 1
        active = [b for b in session.bookings if b.status != CANCELLED]
        for booking in active:
            booking.sequence += 1
        db.session.flush()
        for booking in active:
            notify.tell("session_moved", booking, now)
    db.session.flush()
    return session


def series_of(session: LabSession, now: datetime) -> list[LabSession]:
    """The session and the other sessions of its series that have not started and are not cancelled."""
    if session.series_id is None:
        return [session]
    return list(db.session.scalars(select(LabSession).where(
        LabSession.series_id == session.series_id, LabSession.cancelled_at.is_(None),
        (LabSession.starts_at > now) | (LabSession.id == session.id)).order_by(LabSession.starts_at)))


def update_series(session: LabSession, details: SessionDetails, *, by: User, now: datetime) -> list[LabSession]:
    """Apply an edit to every coming session of the series: the same texts and seats, and the same shift in
    time (moving this one by +1 hour moves each of them by +1 hour)."""
    shift = details.starts_at - session.starts_at
    length = details.ends_at - details.starts_at
    changed = []
    for other in series_of(session, now):
        start = other.starts_at + shift
        each = SessionDetails(**{**details.__dict__, "starts_at": start, "ends_at": start + length,
                                 "opens_at": details.opens_at and details.opens_at - details.starts_at + start,
                                 "closes_at": details.closes_at and details.closes_at - details.starts_at + start})
        changed.append(update_session(other, each, by=by, now=now))
    return changed


def cancel_session(session: LabSession, *, by: User, now: datetime) -> list:
    """Cancel the session and every booking; each person is told (with METHOD:CANCEL for a seat)."""
    if session.is_cancelled:
        raise LabError(str(_l("This session has already been cancelled.")), CONFLICT)
    if session.ends_at <= now:
        raise LabError(str(_l("This session is over and can no longer be changed.")), CONFLICT)
    session = rules.lock_session(session.id)
    told = []
    for booking in session.bookings:
        if booking.status == CANCELLED:
            continue
        had_seat = booking.status in SEAT_STATUSES
        booking.status, booking.position, booking.cancelled_at = CANCELLED, None, now
        booking.sequence += 1
        told.append((booking, had_seat))
    session.cancelled_at = now
    session.confirmed_count = 0
    session.sequence += 1
    db.session.flush()
    for booking, had_seat in told:
        notify.tell("session_cancelled", booking, now, had_seat=had_seat)
    return [b for b, _ in told]


def session_details(session: LabSession) -> SessionDetails:
    """The current values, as a starting point for an edit."""
    return SessionDetails(
        title=session.title, starts_at=session.starts_at, ends_at=session.ends_at, capacity=session.capacity,
        lab=session.lab, topic=session.topic, description=session.description, trainer=session.trainer,
        audience=session.audience, organisation_ids=list(session.allowed_organisation_ids or []),
        course_id=session.allowed_course_id, opens_at=session.booking_opens_at, closes_at=session.booking_closes_at,
        reminder_offsets=session.reminder_offsets)

