"""Session rules called directly: create, series, overlaps, move, cancel, bad times (DST gap)."""
from datetime import UTC, date, datetime, time, timedelta

import pytest

from lms.extensions import db
from lms.labs import booking as rules
from lms.labs import sessions
from lms.labs.errors import LabError
from lms.labs.sessions import SessionDetails
from lms.labs.times import local_to_utc, parse_iso
from tests.conftest import outbox
from tests.labs.factories import NOW


@pytest.fixture
def coordinator(make_person):
    return make_person(name="Carla", roles=("coordinator",), email="coord@example.com")


def details(lab, start=NOW + timedelta(days=3), hours=2, **values):
    return SessionDetails(title=values.pop("title", "Cobot cell"), starts_at=start, ends_at=start + timedelta(hours=hours),
                          capacity=values.pop("capacity", 4), lab=lab, **values)


def test_create_and_overlap_in_the_lab_names_the_session(app, make_lab, coordinator):
    lab = make_lab()
    [first] = sessions.create_sessions(details(lab, title="Morning run"), by=coordinator, now=NOW)
    assert first.id and first.series_id is None
    with pytest.raises(LabError, match="already holds “Morning run”") as caught:
        sessions.create_sessions(details(lab, start=first.starts_at + timedelta(hours=1)), by=coordinator, now=NOW)
    assert caught.value.status == 409
    # Back to back is fine.
    sessions.create_sessions(details(lab, start=first.ends_at), by=coordinator, now=NOW)


def test_a_trainer_cannot_be_in_two_sessions_at_once(app, make_lab, make_person, coordinator):
    trainer = make_person(name="Tina Trainer", roles=("trainer",))
    sessions.create_sessions(details(make_lab(), trainer=trainer, title="A"), by=coordinator, now=NOW)
    with pytest.raises(LabError, match="Tina Trainer is already running “A”"):
        sessions.create_sessions(details(make_lab(), trainer=trainer), by=coordinator, now=NOW)


def test_a_coordinator_manages_only_their_labs(app, make_lab, coordinator):
    with pytest.raises(LabError, match="do not coordinate") as caught:
        sessions.create_sessions(details(make_lab(coordinator="other@example.com")), by=coordinator, now=NOW)
    assert caught.value.status == 403


@pytest.mark.parametrize("change, message", [
    (dict(hours=-1), "end after it starts"),
    (dict(hours=0), "end after it starts"),
    (dict(capacity=0), "Seats must be"),
    (dict(capacity=-3), "Seats must be"),
    (dict(title="  "), "needs a title"),
    (dict(start=NOW - timedelta(hours=1)), "in the past"),
    (dict(audience="organisations"), "at least one organisation"),
    (dict(closes_at=NOW + timedelta(days=4)), "close by the start"),
])
def test_bad_session_details(app, make_lab, coordinator, change, message):
    with pytest.raises(LabError, match=message):
        sessions.create_sessions(details(make_lab(), **change), by=coordinator, now=NOW)


def test_a_time_in_the_dst_gap_is_refused():
    with pytest.raises(LabError, match="does not exist"):
        local_to_utc(date(2027, 3, 28), time(2, 30), "Europe/Rome")
    # The repeated hour in October is taken the first time (summer time, UTC+2).
    assert local_to_utc(date(2027, 10, 31), time(2, 30), "Europe/Rome") == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_iso_times_need_an_offset():
    assert parse_iso("2027-03-01T10:00:00+01:00", "starts_at") == datetime(2027, 3, 1, 9, tzinfo=UTC)
    for bad in ("2027-03-01T10:00:00", "tomorrow", 5, None, "2027-02-30T10:00Z", "x" * 100):
        with pytest.raises(LabError):
            parse_iso(bad, "starts_at")


def test_weekly_series_keeps_the_local_time_across_the_clock_change(app, make_lab, coordinator):
    first = local_to_utc(date(2027, 3, 15), time(9, 0), "Europe/Rome")
    starts = sessions.weekly_starts(first, 4, "Europe/Rome")
    assert [s.hour for s in starts] == [8, 8, 7, 7]  # 09:00 CET, then 09:00 CEST
    made = sessions.create_sessions(details(make_lab(), start=first), starts, by=coordinator, now=NOW)
    assert len({s.series_id for s in made}) == 1 and len(made) == 4


def test_a_series_with_a_clash_adds_nothing(app, make_lab, coordinator):
    lab = make_lab()
    start = NOW + timedelta(days=3)
    sessions.create_sessions(details(lab, start=start + timedelta(weeks=2), title="In the way"), by=coordinator,
                             now=NOW)
    db.session.commit()
    with pytest.raises(LabError, match="In the way"):
        sessions.create_sessions(details(lab, start=start), [start + timedelta(weeks=i) for i in range(4)],
                                 by=coordinator, now=NOW)
    db.session.rollback()
    assert len(lab_sessions(lab)) == 1


def lab_sessions(lab):
    from sqlalchemy import select

    from lms.labs.models import LabSession
    return list(db.session.scalars(select(LabSession).where(LabSession.lab_id == lab.id)))


def test_move_tells_everyone_and_raises_the_sequence(app, make_lab, make_person, coordinator):
    [session] = sessions.create_sessions(details(make_lab(), capacity=1), by=coordinator, now=NOW)
    people = [make_person() for _ in range(2)]
    made = [rules.book_seat(session, p, by=p, now=NOW) for p in people]
    db.session.commit()
    new = details(session.lab, start=session.starts_at + timedelta(days=1), capacity=1)
    sessions.update_session(session, new, by=coordinator, now=NOW)
    db.session.commit()
    assert session.sequence == 1 and [b.sequence for b in made] == [1, 1]
    moved = [m for m in outbox(app) if m["Subject"].startswith("Session moved")]
    assert sorted(m["To"] for m in moved) == sorted(p.email for p in people)
    # The seat-holder's message carries the updated invitation; the waitlisted one's does not.
    with_ics = [m["To"] for m in moved if any(p.get_content_type() == "text/calendar" for p in m.iter_attachments())]
    assert with_ics == [people[0].email]


def test_edit_all_of_a_series_shifts_each(app, make_lab, coordinator):
    start = NOW + timedelta(days=3)
    made = sessions.create_sessions(details(make_lab(), start=start), [start + timedelta(weeks=i) for i in range(3)],
                                    by=coordinator, now=NOW)
    before = [s.starts_at for s in made]
    edit = details(made[0].lab, start=start + timedelta(hours=1), title="Renamed")
    sessions.update_series(made[0], edit, by=coordinator, now=NOW)
    assert [s.starts_at - b for s, b in zip(made, before, strict=True)] == [timedelta(hours=1)] * 3
    assert {s.title for s in made} == {"Renamed"}


def test_cancel_session_cancels_every_booking_and_tells_everyone(app, make_lab, make_person, coordinator):
    [session] = sessions.create_sessions(details(make_lab(), capacity=1), by=coordinator, now=NOW)
    people = [make_person() for _ in range(3)]
    for p in people:
        rules.book_seat(session, p, by=p, now=NOW)
    db.session.commit()
    sessions.cancel_session(session, by=coordinator, now=NOW)
    db.session.commit()
    assert {b.status for b in session.bookings} == {"cancelled"} and session.confirmed_count == 0
    told = [m for m in outbox(app) if m["Subject"].startswith("Session cancelled")]
    assert len(told) == 3
    with pytest.raises(LabError, match="cancelled"):
        rules.book_seat(session, make_person(), by=coordinator, now=NOW)


def test_a_rolled_back_booking_emails_nobody(app, make_session, make_person):
    session = make_session()
    person = make_person()
    db.session.commit()
    rules.book_seat(session, person, by=person, now=NOW)
    db.session.rollback()
    assert outbox(app) == []
