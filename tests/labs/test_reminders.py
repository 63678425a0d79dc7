"""Reminders before a session: one outbox row per offset for a confirmed seat, moved with the session,
dropped with the booking or the session, never sent late for a booking made after its time."""
import re
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.labs import booking as rules
from lms.labs import sessions
from lms.notify import outbox
from lms.notify.models import OutboxMessage
from lms.notify.scheduler import run_once
from tests.conftest import outbox as eml_files
from tests.labs.factories import NOW


@pytest.fixture
def app(db_app):
    """These rules hold on SQLite and on PostgreSQL: every test here runs on both."""
    return db_app


def reminders(booking=None):
    stmt = select(OutboxMessage).where(OutboxMessage.kind == "reminder").order_by(OutboxMessage.due_at)
    if booking is not None:
        stmt = stmt.where(OutboxMessage.topic == f"booking:{booking.id}")
    db.session.expire_all()
    return [(r.key.rsplit("=", 1)[1], r.due_at, r.status) for r in db.session.scalars(stmt)]


def test_a_confirmed_seat_gets_one_reminder_per_offset(app, make_session, make_person):
    session = make_session(capacity=1)
    lea = make_person()
    booking = rules.book_seat(session, lea, by=lea, now=NOW)
    db.session.commit()
    start = session.starts_at
    assert reminders(booking) == [("24h", start - timedelta(hours=24), "queued"),
                                  ("2h", start - timedelta(hours=2), "queued")]
    marco = make_person()
    waiting = rules.book_seat(session, marco, by=marco, now=NOW)
    assert waiting.status == "waitlisted" and reminders(waiting) == []


def test_a_booking_made_after_an_offset_does_not_get_that_reminder_late(app, make_session, make_person):
    session = make_session(capacity=3)
    lea = make_person()
    late = session.starts_at - timedelta(hours=5)
    booking = rules.book_seat(session, lea, by=lea, now=late)
    assert [label for label, _due, _s in reminders(booking)] == ["2h"]


def test_cancelling_drops_the_reminders_and_the_promoted_person_gets_them(app, make_session, make_person):
    session = make_session(capacity=1)
    lea, marco = make_person(), make_person()
    first = rules.book_seat(session, lea, by=lea, now=NOW)
    second = rules.book_seat(session, marco, by=marco, now=NOW)
    rules.cancel_booking(first, by=lea, now=NOW + timedelta(hours=1))
    db.session.commit()
    assert {status for _l, _d, status in reminders(first)} == {"cancelled"}
    assert second.status == "confirmed"
    assert [(label, status) for label, _d, status in reminders(second)] == [("24h", "queued"), ("2h", "queued")]


def test_moving_a_session_moves_its_reminders_and_cancelling_it_drops_them(app, make_session, make_person):
    session = make_session(capacity=2)
    lea = make_person()
    coordinator = make_person(roles=("coordinator",), email="coord@example.com")
    booking = rules.book_seat(session, lea, by=lea, now=NOW)
    details = sessions.session_details(session)
    details.starts_at += timedelta(days=2)
    details.ends_at += timedelta(days=2)
    sessions.update_session(session, details, by=coordinator, now=NOW)
    db.session.commit()
    assert reminders(booking) == [("24h", details.starts_at - timedelta(hours=24), "queued"),
                                  ("2h", details.starts_at - timedelta(hours=2), "queued")]
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == "reminder")) == 2  # moved, not added
    sessions.cancel_session(session, by=coordinator, now=NOW)
    db.session.commit()
    assert {status for _l, _d, status in reminders(booking)} == {"cancelled"}


def test_a_due_reminder_is_sent_with_the_sessions_calendar_entry(app, make_session, make_person):
    session = make_session(capacity=2)
    lea = make_person(language="it")
    booking = rules.book_seat(session, lea, by=lea, now=NOW)
    db.session.commit()
    before = len(eml_files(app))
    assert run_once(app, "test", clock=lambda: session.starts_at - timedelta(hours=25)).sent == 0
    assert run_once(app, "test", clock=lambda: session.starts_at - timedelta(hours=24)).sent == 1
    sent = eml_files(app)[before:]
    [reminder] = [m for m in sent if "Promemoria" in m["Subject"]]
    assert reminder["To"] == lea.email and session.title in reminder["Subject"]
    assert reminder["Message-ID"] == outbox.message_id_for(f"reminder:booking={booking.id}:offset=24h",
                                                           app.config["MAIL_FROM"])
    [ics] = [part for part in reminder.iter_attachments() if part.get_content_type() == "text/calendar"]
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    assert f"/labs/sessions/{session.id}" in reminder.get_body(("plain",)).get_content()
    assert run_once(app, "test", clock=lambda: session.starts_at - timedelta(hours=1)).sent == 1  # the 2 h one
    assert run_once(app, "test", clock=lambda: session.starts_at).sent == 0  # nothing twice


def test_a_person_chooses_their_reminders_in_settings_and_gets_only_those(app, make_session, make_person):
    from lms.auth.passwords import hash_password
    from tests.conftest import PASSWORD

    lea = make_person(email="lea@example.com")

    lea.password_hash = hash_password(PASSWORD)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "lea@example.com", "password": PASSWORD})
    page = client.get("/settings").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*name="reminders" type="checkbox" value="24h">', page)
    assert "24 hours before" in page and "2 hours before" in page
    response = client.post("/settings", data={"name": "Lea", "language": "en", "timezone": "Europe/Rome",
                                              "reminders": ["2h"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert lea.reminders_off == ["24h"]
    booking = rules.book_seat(make_session(), lea, by=lea, now=NOW)
    db.session.commit()
    assert [label for label, _due, _status in reminders(booking)] == ["2h"]
    client.post("/settings", data={"name": "Lea", "language": "en", "timezone": "Europe/Rome"})
    db.session.expire_all()
    assert lea.reminders_off == ["24h", "2h"]
    # A refused offset is a form error, nothing saved.
    client.post("/settings", data={"name": "Lea", "language": "en", "timezone": "Europe/Rome", "reminders": ["9h"]})
    db.session.expire_all()
    assert lea.reminders_off == ["24h", "2h"]


def test_a_session_has_its_own_offsets_and_changing_them_requeues(app, make_session, make_person):
    from lms.labs.errors import LabError

    session = make_session(capacity=2)
    coordinator = make_person(roles=("coordinator",), email="coord@example.com")
    lea = make_person()
    booking = rules.book_seat(session, lea, by=lea, now=NOW)
    details = sessions.session_details(session)
    details.reminder_offsets = "3d, 30m"
    sessions.update_session(session, details, by=coordinator, now=NOW)
    db.session.commit()
    start = session.starts_at
    assert [(label, due, status) for label, due, status in reminders(booking) if status == "queued"] == [
        ("3d", start - timedelta(days=3), "queued"), ("30m", start - timedelta(minutes=30), "queued")]
    assert session.reminder_offsets == "3d, 30m"
    details.reminder_offsets = ""
    sessions.update_session(session, details, by=coordinator, now=NOW)
    db.session.commit()
    assert [status for _l, _d, status in reminders(booking) if status == "queued"] == []
    details.reminder_offsets = "tomorrow"
    with pytest.raises(LabError) as refused:
        sessions.update_session(session, details, by=coordinator, now=NOW)
    assert refused.value.field == "reminder_offsets"
