"""Booking rules called directly (no HTTP): seats, waitlist positions, promotion, cut-offs, resizing."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.labs import booking as rules
from lms.labs.errors import LabError
from lms.labs.models import Booking
from lms.orgs.models import Organisation
from lms.orgs.people import add_member
from tests.conftest import outbox
from tests.labs.factories import NOW


def _states(session):
    db.session.refresh(session)
    return sorted((b.user.name, b.status, b.position) for b in session.bookings)


def test_books_seats_then_waitlist_with_positions(app, make_session, make_person):
    session = make_session(capacity=2)
    people = [make_person(name=f"P{i}") for i in range(5)]
    made = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    db.session.commit()
    assert [(b.status, b.position) for b in made] == [
        ("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2), ("waitlisted", 3)]
    assert session.confirmed_count == 2
    kinds = [m["Subject"].split(":")[0] for m in outbox(app)]
    assert kinds.count("Seat confirmed") == 2 and kinds.count("Waitlist place 1") == 1
    from lms.notify.models import OutboxMessage

    rows = db.session.execute(db.select(OutboxMessage.kind, OutboxMessage.user_id).where(
        OutboxMessage.kind.like("labs.%")).order_by(OutboxMessage.id)).all()
    assert rows == [("labs.confirmed", people[0].id), ("labs.confirmed", people[1].id)] + [
        ("labs.waitlisted", p.id) for p in people[2:]]


def test_cancel_promotes_exactly_the_first_and_renumbers(app, make_session, make_person):
    session = make_session(capacity=2)
    people = [make_person(name=f"P{i}") for i in range(5)]
    made = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    db.session.commit()
    promoted = rules.cancel_booking(made[0], by=people[0], now=NOW)
    db.session.commit()
    assert [b.user.name for b in promoted] == ["P2"]
    assert _states(session) == [("P0", "cancelled", None), ("P1", "confirmed", None), ("P2", "confirmed", None),
                                ("P3", "waitlisted", 1), ("P4", "waitlisted", 2)]
    assert session.confirmed_count == 2
    promoted_mail = [m for m in outbox(app) if m["Subject"].startswith("A seat is yours")]
    assert [m["To"] for m in promoted_mail] == [people[2].email]


def test_cancelling_a_waitlist_place_renumbers_without_promoting(app, make_session, make_person):
    session = make_session(capacity=1)
    people = [make_person(name=f"P{i}") for i in range(4)]
    made = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    assert rules.cancel_booking(made[2], by=people[2], now=NOW) == []
    assert _states(session) == [("P0", "confirmed", None), ("P1", "waitlisted", 1), ("P2", "cancelled", None),
                                ("P3", "waitlisted", 2)]


def test_cancel_after_cutoff_is_refused_but_the_coordinator_may(app, make_session, make_person):
    coordinator = make_person(roles=("coordinator",), email="coord@example.com")
    session = make_session(capacity=1, booking_closes_at=NOW + timedelta(days=6))
    person = make_person()
    booking = rules.book_seat(session, person, by=person, now=NOW)
    late = NOW + timedelta(days=6, hours=1)
    with pytest.raises(LabError, match="can be cancelled until"):
        rules.cancel_booking(booking, by=person, now=late)
    rules.cancel_booking(booking, by=coordinator, now=late)
    assert booking.status == "cancelled"


def test_booking_twice_is_a_conflict_and_the_database_refuses_it_too(app, make_session, make_person):
    session = make_session(capacity=1)
    person = make_person()
    rules.book_seat(session, person, by=person, now=NOW)
    with pytest.raises(LabError) as caught:
        rules.book_seat(session, person, by=person, now=NOW)
    assert caught.value.status == 409
    db.session.add(Booking(session_id=session.id, user_id=person.id, status="waitlisted", position=9))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_cancelled_booking_does_not_block_booking_again(app, make_session, make_person):
    session = make_session(capacity=1)
    person = make_person()
    first = rules.book_seat(session, person, by=person, now=NOW)
    rules.cancel_booking(first, by=person, now=NOW)
    again = rules.book_seat(session, person, by=person, now=NOW)
    assert again.status == "confirmed" and again.uid != first.uid


def test_the_database_refuses_more_seats_than_capacity(app, make_session):
    session = make_session(capacity=1)
    session.confirmed_count = 2
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("change, message", [
    (lambda s: setattr(s, "cancelled_at", NOW), "cancelled"),
    (lambda s: setattr(s, "starts_at", NOW - timedelta(hours=1)), "already started"),
    (lambda s: setattr(s, "booking_closes_at", NOW - timedelta(minutes=1)), "Booking closed"),
    (lambda s: setattr(s, "booking_opens_at", NOW + timedelta(days=1)), "Booking opens"),
])
def test_sessions_that_cannot_be_booked(app, make_session, make_person, change, message):
    session = make_session(capacity=3, hours=200)
    change(session)
    person = make_person()
    with pytest.raises(LabError, match=message):
        rules.book_seat(session, person, by=person, now=NOW)
    assert session.bookings == [] and session.confirmed_count == 0


def test_allowed_bookers_by_organisation(app, make_session, make_person):
    org, other = Organisation(name="Acme", kind="company"), Organisation(name="Other", kind="company")
    db.session.add_all([org, other])
    db.session.flush()
    inside, outside = make_person(name="Inside"), make_person(name="Outside")
    add_member(org, inside)
    add_member(other, outside)
    session = make_session(capacity=3, audience="organisations", allowed_organisation_ids=[org.id])
    assert rules.book_seat(session, inside, by=inside, now=NOW).status == "confirmed"
    with pytest.raises(LabError, match="Outside is not one of them") as caught:
        rules.book_seat(session, outside, by=outside, now=NOW)
    assert caught.value.status == 403


def test_allowed_bookers_by_course_enrolment(app, make_session, make_person):
    from lms.courses.models import Course, Enrolment

    course = Course(slug="c", title="C", is_published=True)
    db.session.add(course)
    db.session.flush()
    enrolled, not_enrolled = make_person(), make_person(name="Nobody")
    db.session.add(Enrolment(user_id=enrolled.id, course_id=course.id, enrolled_at=NOW))
    session = make_session(capacity=3, audience="course", allowed_course_id=course.id)
    assert rules.book_seat(session, enrolled, by=enrolled, now=NOW).status == "confirmed"
    with pytest.raises(LabError, match="not enrolled"):
        rules.book_seat(session, not_enrolled, by=not_enrolled, now=NOW)


def test_a_manager_books_only_their_own_staff(app, make_session, make_person):
    mine, theirs = Organisation(name="Mine", kind="company"), Organisation(name="Theirs", kind="company")
    db.session.add_all([mine, theirs])
    db.session.flush()
    manager = make_person(name="Manager", roles=("company_manager",))
    staff, stranger = make_person(name="Staff"), make_person(name="Stranger")
    add_member(mine, manager, "manager")
    add_member(mine, staff)
    add_member(theirs, stranger)
    session = make_session(capacity=3)
    booking = rules.book_seat(session, staff, by=manager, now=NOW)
    assert booking.user == staff and booking.booked_by == manager
    with pytest.raises(LabError, match="only for members of the organisations you manage") as refused:
        rules.book_seat(session, stranger, by=manager, now=NOW)
    assert "Stranger" not in str(refused.value)  # the refusal names nobody
    learner = make_person()
    with pytest.raises(LabError):
        rules.book_seat(session, staff, by=learner, now=NOW)


def test_raising_capacity_moves_the_waitlist_up(app, make_session, make_person):
    session = make_session(capacity=1)
    people = [make_person(name=f"P{i}") for i in range(4)]
    for p in people:
        rules.book_seat(session, p, by=p, now=NOW)
    promoted = rules.set_capacity(session, 3, now=NOW)
    assert [b.user.name for b in promoted] == ["P1", "P2"]
    assert _states(session)[-1] == ("P3", "waitlisted", 1)
    assert session.confirmed_count == 3


def test_lowering_capacity_needs_the_people_moved_to_the_waitlist(app, make_session, make_person):
    session = make_session(capacity=3)
    people = [make_person(name=f"P{i}") for i in range(4)]
    made = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    with pytest.raises(LabError, match="choose 2 confirmed people"):
        rules.set_capacity(session, 1, now=NOW)
    with pytest.raises(LabError):
        rules.set_capacity(session, 1, now=NOW, move_to_waitlist=[made[1].id, made[3].id])  # P3 is waitlisted
    rules.set_capacity(session, 1, now=NOW, move_to_waitlist=[made[2].id, made[1].id])
    assert _states(session) == [("P0", "confirmed", None), ("P1", "waitlisted", 2), ("P2", "waitlisted", 1),
                                ("P3", "waitlisted", 3)]
    assert (session.capacity, session.confirmed_count) == (1, 1)
    # Lowering to exactly the seats taken needs nobody moved.
    rules.set_capacity(session, 1, now=NOW)


@pytest.mark.parametrize("seats", [0, -1, 10_001, "3", True])
def test_bad_capacity(app, make_session, seats):
    with pytest.raises(LabError, match="Seats must be"):
        rules.set_capacity(make_session(), seats, now=NOW)


def test_attendance(app, make_session, make_person):
    session = make_session(capacity=1)
    people = [make_person() for _ in range(2)]
    seat, waiting = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    with pytest.raises(LabError, match="from an hour before"):
        rules.mark_attendance(seat, "attended", now=NOW)
    during = session.starts_at + timedelta(minutes=5)
    assert rules.mark_attendance(seat, "attended", now=during).status == "attended"
    with pytest.raises(LabError, match="holding a seat"):
        rules.mark_attendance(waiting, "attended", now=during)
    assert rules.mark_attendance(seat, "no_show", now=during).status == "no_show"
    assert session.confirmed_count == 1  # an attended seat still counts
