"""iCalendar files checked with two strict parsers (icalendar and vobject), across a daylight-saving change."""
from datetime import UTC, datetime, timedelta

import icalendar
import vobject

from lms.extensions import db
from lms.labs import booking as rules
from lms.labs import feeds, ical
from lms.labs.models import LabSession
from tests.conftest import outbox
from tests.labs.factories import NOW


def _parse_both(data: bytes):
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded
    cal = icalendar.Calendar.from_ical(data)
    v = vobject.readOne(data.decode())
    v.validate()
    return cal, v


def test_booking_invitation_across_the_clock_change(app, make_lab, make_person):
    lab = make_lab(name="Cobot; cell, \"A\"")
    # 09:00 in Rome on the Monday after the change to summer time (2027-03-28): 07:00 UTC.
    start = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    session = LabSession(lab=lab, title="Twin; a very long title " + "x" * 80, topic="Line1\nLine2", starts_at=start,
                         ends_at=start + timedelta(hours=2), capacity=2)
    db.session.add(session)
    person = make_person(name="Lea")
    booking = rules.book_seat(session, person, by=person, now=NOW)
    data = ical.booking_ics(booking, now=NOW, tz_name="Europe/Rome", organizer="Officina <no-reply@officina.example>",
                            url="http://localhost/labs/sessions/1")
    cal, v = _parse_both(data)
    assert cal["METHOD"] == "REQUEST" and cal["PRODID"] == ical.PRODID
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Rome"
    [event] = cal.walk("VEVENT")
    assert event["UID"] == f"booking-{booking.uid}@officina.example"
    assert event["SEQUENCE"] == 0 and event["DTSTAMP"].dt == NOW
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 3, 29, 9, 0)
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert str(event["SUMMARY"]).startswith("Twin; a very long title")  # unescaped back intact
    assert str(event["LOCATION"]) == "Venue, Via Roma 1, Bologna"
    assert b"Twin\\; a very long" in data and b"Line1\\nLine2" in data  # escaped on the wire
    # vobject reads the same instant.
    assert v.vevent.dtstart.value.astimezone(UTC) == start


def test_sequence_rises_and_cancel_uses_method_cancel(app, make_session, make_person):
    session = make_session(capacity=1)
    person = make_person()
    booking = rules.book_seat(session, person, by=person, now=NOW)
    uid = booking.uid
    rules.cancel_booking(booking, by=person, now=NOW)
    db.session.commit()
    data = ical.booking_ics(booking, now=NOW, tz_name="Europe/Rome", organizer="x@example.com", cancel=True)
    cal, _v = _parse_both(data)
    [event] = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1 and event["UID"] == f"booking-{uid}@officina.example"


def test_mails_carry_an_ics_that_parses(app, make_session, make_person):
    session = make_session(capacity=1)
    first, second = make_person(), make_person()
    a = rules.book_seat(session, first, by=first, now=NOW)
    rules.book_seat(session, second, by=second, now=NOW)
    db.session.commit()
    rules.cancel_booking(a, by=first, now=NOW)
    db.session.commit()
    mails = {m["Subject"].split(":")[0]: m for m in outbox(app)}
    for subject, method in (("Seat confirmed", "REQUEST"), ("Booking cancelled", "CANCEL"), ("A seat is yours", "REQUEST")):
        [part] = [p for p in mails[subject].iter_attachments() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == method
        cal, _v = _parse_both(part.get_payload(decode=True))
        assert cal["METHOD"] == method
    assert not [p for p in mails["Waitlist place 1"].iter_attachments() if p.get_content_type() == "text/calendar"]


def test_personal_feed_token_is_hashed_and_revocable(app, client, make_session, make_person):
    session = make_session(capacity=3)
    person = make_person()
    rules.book_seat(session, person, by=person, now=NOW)
    token = feeds.issue_feed_token(person)
    db.session.commit()
    from lms.labs.models import CalendarFeed

    assert db.session.scalar(db.select(CalendarFeed.token_hash)) != token
    answer = client.get(f"/labs/feed/{token}.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    cal, _v = _parse_both(answer.data)
    assert len(cal.walk("VEVENT")) == 1
    feeds.issue_feed_token(person)  # a new link: the old one stops working
    db.session.commit()
    assert client.get(f"/labs/feed/{token}.ics").status_code == 404
    feeds.revoke_feed_token(person)
    db.session.commit()
    assert client.get("/labs/feed/nonsense.ics").status_code == 404


def test_coordinator_lab_feed(app, client, make_session, make_person):
    coordinator = make_person(roles=("coordinator",), email="coord@example.com")
    learner = make_person()
    session = make_session(capacity=3)
    token, other = feeds.issue_feed_token(coordinator), feeds.issue_feed_token(learner)
    db.session.commit()
    answer = client.get(f"/labs/feed/{token}/labs/{session.lab.slug}.ics")
    cal, _v = _parse_both(answer.data)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [f"Cobot basics — {session.lab.name}"]
    assert client.get(f"/labs/feed/{other}/labs/{session.lab.slug}.ics").status_code == 404
