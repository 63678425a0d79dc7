"""Booking rules: book a seat or a waitlist place, cancel, promote, resize, mark attendance.

Plain functions with `now` a parameter; they add and flush, the caller commits (or rolls back on LabError).
Every change of seats happens under the session's row lock (`lock_session`), and the seat counter moves only
by a conditional UPDATE that the database refuses past the capacity: two processes can never both take the
last seat, on SQLite or PostgreSQL. People are told through `notify.tell`, which sends after the commit.
"""
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms.auth.models import User
from lms.extensions import db
from lms.labs import access, notify
from lms.labs.errors import CONFLICT, FORBIDDEN, LabError
from lms.labs.models import (
    ATTENDED,
    AUDIENCE_COURSE,
    AUDIENCE_ORGANISATIONS,
    CANCELLED,
    CONFIRMED,
    NO_SHOW,
    WAITLISTED,
    Booking,
    LabSession,
)
from lms.orgs.people import organisations_of

ATTENDANCE_FROM = timedelta(hours=1)  # attendance can be marked from an hour before the start
STATUS_LABELS = {CONFIRMED: _l("confirmed"), WAITLISTED: _l("waitlisted"), CANCELLED: _l("cancelled"),
                 ATTENDED: _l("attended"), NO_SHOW: _l("no-show")}


def lock_session(session_id: int) -> LabSession:
    """Hold the session's row lock until the transaction ends and return the session fresh from the database.

    PostgreSQL: SELECT … FOR UPDATE. SQLite has no row locks: a first write takes the database's write lock,
    which other writers wait for (the busy timeout), so the same sequence is serialised there too.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(LabSession).where(LabSession.id == session_id)
                           .values(sequence=LabSession.sequence).execution_options(synchronize_session=False))
    session = db.session.execute(
        select(LabSession).where(LabSession.id == session_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    db.session.expire(session, ["bookings"])
    return session


def _take_seat(session: LabSession) -> bool:
    """Add one to the seat counter if a seat is free; the WHERE clause is the database's last word."""
    taken = db.session.execute(
        update(LabSession).where(LabSession.id == session.id, LabSession.confirmed_count < LabSession.capacity)
        .values(confirmed_count=LabSession.confirmed_count + 1).execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.refresh(session, ["confirmed_count"])
    return taken


def _free_seat(session: LabSession):
    db.session.execute(update(LabSession).where(LabSession.id == session.id, LabSession.confirmed_count > 0)
                       .values(confirmed_count=LabSession.confirmed_count - 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(session, ["confirmed_count"])


def renumber_waitlist(session: LabSession):
    """Positions 1..n in the order people joined the waitlist (their current order)."""
    for position, booking in enumerate(session.waitlist, start=1):
        booking.position = position


def active_booking(session: LabSession, user: User) -> Booking | None:
    return db.session.scalar(select(Booking).where(
        Booking.session_id == session.id, Booking.user_id == user.id, Booking.status != CANCELLED))


# What anyone hears who asks to book for a person they may not book for, whoever that person is or is not:
# no name, and the same words for an address or id without an account, so nothing can be enumerated.
NOT_YOURS = _l("You can book only for members of the organisations you manage.")


def person_to_book(by: User, session: LabSession, *, email: str | None = None,
                   user_id: int | None = None) -> User | None:
    """The account named by `email` or `user_id` that `by` asks to book a seat for.

    Returns None (no such account) only to someone who may book anyone into `session` (its coordinator, an
    admin): they need to know. :raise LabError: NOT_YOURS (403) to everyone else, for an unknown account as for
    one they may not book for, so the answer never tells whether an address has an account.
    """
    person = None
    if email is not None:
        person = User.by_email(email[:254])
    elif user_id is not None and 0 < user_id <= access.MAX_ID:
        person = db.session.get(User, user_id)
    if person is not None and access.can_book_for(by, person, session):
        return person
    if person is None and access.can_manage_session(by, session):
        return None
    raise LabError(str(NOT_YOURS), FORBIDDEN)


def check_allowed(session: LabSession, user: User):
    """:raise LabError: `user` is not among the people the session is open to."""
    if session.audience == AUDIENCE_ORGANISATIONS:
        allowed = set(session.allowed_organisation_ids or [])
        if not any(o.id in allowed for o in organisations_of(user)):
            raise LabError(str(_l("This session is reserved for members of particular organisations; "
                                  "%(name)s is not one of them.", name=user.name)), FORBIDDEN)
    elif session.audience == AUDIENCE_COURSE and session.allowed_course_id is not None:
        from lms.courses.models import Enrolment

        enrolled = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == user.id, Enrolment.course_id == session.allowed_course_id))
        if enrolled is None:
            raise LabError(str(_l("This session is reserved for learners enrolled in a course; "
                                  "%(name)s is not enrolled in it.", name=user.name)), FORBIDDEN)


def check_bookable(session: LabSession, now: datetime):
    """:raise LabError: the session is cancelled, started, not yet open or past its cut-off."""
    if session.is_cancelled:
        raise LabError(str(_l("This session has been cancelled.")), CONFLICT)
    if session.is_past(now):
        raise LabError(str(_l("This session has already started.")), CONFLICT)
    if session.booking_opens_at is not None and now < session.booking_opens_at:
        raise LabError(str(_l("Booking opens on %(when)s.", when=format_datetime(session.booking_opens_at, "short"))),
                       CONFLICT)
    if now >= session.cutoff:
        raise LabError(str(_l("Booking closed on %(when)s.", when=format_datetime(session.cutoff, "short"))), CONFLICT)


def book_seat(session: LabSession, user: User, *, by: User, now: datetime) -> Booking:
    """Book `user` a seat, or a place at the end of the waitlist when the session is full.

    :raise LabError: `by` may not book for `user` (403), `user` may not attend (403), the session is not open
        for booking, or `user` already has an active booking for it (409).
    """
    if not access.can_book_for(by, user, session):
        raise LabError(str(NOT_YOURS), FORBIDDEN)
    if not user.is_active:
        raise LabError(str(_l("%(name)s's account is deactivated.", name=user.name)), FORBIDDEN)
    check_bookable(session, now)
    check_allowed(session, user)

    session = lock_session(session.id)
    check_bookable(session, now)  # it may have been cancelled or moved while we waited for the lock
    existing = active_booking(session, user)
    if existing is not None:
        raise LabError(str(_l("%(name)s already has a booking for this session (%(status)s).", name=user.name,
                              status=STATUS_LABELS[existing.status])), CONFLICT)
    if _take_seat(session):
        status, position = CONFIRMED, None
    else:
        status, position = WAITLISTED, len(session.waitlist) + 1
    booking = Booking(session=session, user=user, booked_by=by if by.id != user.id else None, created_at=now,
                      status=status, position=position)
    db.session.add(booking)
    db.session.flush()
    notify.tell(booking.status, booking, now)
    return booking


def promote(session: LabSession, now: datetime) -> list[Booking]:
    """Confirm people from the head of the waitlist while seats are free; the caller holds the lock."""
    promoted = []
    for booking in session.waitlist:
        if not _take_seat(session):
            break
        booking.status, booking.position = CONFIRMED, None
        booking.sequence += 1
        promoted.append(booking)
    renumber_waitlist(session)
    db.session.flush()
    for booking in promoted:
        notify.tell("promoted", booking, now)
    return promoted


def cancel_booking(booking: Booking, *, by: User, now: datetime) -> list[Booking]:
    """Cancel a booking; a freed seat goes to the first on the waitlist. Returns the bookings promoted.

    The person (or their manager) may cancel until the cut-off; the session's coordinator until the start.
    :raise LabError: already cancelled, or past the cut-off.
    """
    session = lock_session(booking.session_id)
    db.session.refresh(booking)
    if booking.status not in (CONFIRMED, WAITLISTED):
        raise LabError(str(_l("This booking is %(status)s and cannot be cancelled.",
                              status=STATUS_LABELS[booking.status])), CONFLICT)
    manager = access.can_manage_session(by, session)
    limit = session.starts_at if manager else session.cutoff
    if now >= limit:
        raise LabError(str(_l("Bookings can be cancelled until %(when)s; after that, please contact the lab.",
                              when=format_datetime(limit, "short"))), CONFLICT)
    held_seat = booking.status == CONFIRMED
    booking.status, booking.position, booking.cancelled_at = CANCELLED, None, now
    booking.sequence += 1
    db.session.flush()
    notify.tell("cancelled", booking, now, had_seat=held_seat)
    if held_seat:
        _free_seat(session)
        return promote(session, now)
    renumber_waitlist(session)
    db.session.flush()
    return []


def set_capacity(session: LabSession, capacity: int, *, now: datetime, move_to_waitlist=()) -> list[Booking]:
    """Change the number of seats. Raising it confirms people from the waitlist (returned).

    Lowering it below the seats taken needs the coordinator to name exactly the confirmed bookings that go
    back to the waitlist (ahead of those already waiting), else LabError says how many to choose.
    """
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1 or capacity > 10_000:
        raise LabError(str(_l("Seats must be a whole number from 1 to 10000.")), field="capacity")
    session = lock_session(session.id)
    excess = session.confirmed_count - capacity
    if excess <= 0:
        db.session.execute(update(LabSession).where(LabSession.id == session.id).values(capacity=capacity)
                           .execution_options(synchronize_session=False))
        db.session.refresh(session, ["capacity"])
        return promote(session, now)
    chosen_ids = [int(i) for i in move_to_waitlist]
    movable = {b.id: b for b in session.bookings if b.status == CONFIRMED}
    if len(set(chosen_ids)) != excess or not set(chosen_ids) <= set(movable):
        raise LabError(str(_l(
            "%(taken)d seats are taken: to go down to %(seats)d, choose %(n)d confirmed people to move to the waitlist.",
            taken=session.confirmed_count, seats=capacity, n=excess)), CONFLICT, field="capacity")
    for booking in session.waitlist:
        booking.position += excess
    moved = [movable[i] for i in dict.fromkeys(chosen_ids)]
    for position, booking in enumerate(moved, start=1):
        booking.status, booking.position = WAITLISTED, position
        booking.sequence += 1
    db.session.flush()
    db.session.execute(update(LabSession).where(LabSession.id == session.id)
                       .values(capacity=capacity, confirmed_count=LabSession.confirmed_count - excess)
                       .execution_options(synchronize_session=False))
    db.session.refresh(session, ["capacity", "confirmed_count"])
    for booking in moved:
        notify.tell("waitlisted", booking, now, had_seat=True)
    return []


def mark_attendance(booking: Booking, status: str, *, now: datetime) -> Booking:
    """Record attended / no-show (or back to confirmed) for a person holding a seat.

    :raise LabError: an unknown status, a booking without a seat, or a session more than an hour away.
    """
    if status not in (ATTENDED, NO_SHOW, CONFIRMED):
        raise LabError(str(_l("Attendance is either attended or no-show.")))
    if booking.status not in (CONFIRMED, ATTENDED, NO_SHOW):
        raise LabError(str(_l("Only people holding a seat can be marked present or absent.")), CONFLICT)
    if booking.session.is_cancelled or now < booking.session.starts_at - ATTENDANCE_FROM:
        raise LabError(str(_l("Attendance can be marked from an hour before the session starts.")), CONFLICT)
    booking.status = status
    db.session.flush()
    return booking
