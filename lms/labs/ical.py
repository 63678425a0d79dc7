"""iCalendar (RFC 5545) for bookings and feeds, written with the `icalendar` package.

The package takes care of CRLF line ends, folding at 75 octets and escaping. Times are given with the
platform's zone as TZID plus its VTIMEZONE, so a calendar shows 09:00 in Rome on either side of a
daylight-saving change. A booking's UID never changes; its SEQUENCE is raised on every change, so a calendar
replaces the event instead of adding a second one.
"""
from datetime import date, datetime
from email.utils import parseaddr

import icalendar

from lms.labs.models import CONFIRMED, Booking, LabSession
from lms.labs.times import zone

PRODID = "-//Officina 4.0//Demo labs//EN"
UID_DOMAIN = "officina.example"


def _calendar(method: str | None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _location(session: LabSession) -> str:
    lab = session.lab
    if lab is None:
        return ""
    return ", ".join(part for part in (lab.venue, lab.address) if part)


def _event(session: LabSession, uid: str, sequence: int, now: datetime, tz_name: str, url: str = "",
           cancelled: bool = False) -> icalendar.Event:
    tz = zone(tz_name)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("summary", session.title + (f" — {session.lab.name}" if session.lab else ""))
    description = session.topic
    if url:
        description = f"{description}\n{url}" if description else url
    if description:
        event.add("description", description)
    if _location(session):
        event.add("location", _location(session))
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled or session.is_cancelled else "CONFIRMED")
    return event


def _finish(cal: icalendar.Calendar, sessions) -> bytes:
    days = [s.starts_at.date() for s in sessions] or [date.today()]
    cal.add_missing_timezones(first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1))
    return cal.to_ical()


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.uid}@{UID_DOMAIN}"


def booking_ics(booking: Booking, *, now: datetime, tz_name: str, organizer: str, url: str = "",
                cancel: bool = False) -> bytes:
    """The invitation for one booking: METHOD:REQUEST, or METHOD:CANCEL when it is withdrawn."""
    session = booking.session
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    event = _event(session, booking_uid(booking), booking.sequence, now, tz_name, url, cancelled=cancel)
    name, address = parseaddr(organizer)
    organizer_prop = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        organizer_prop.params["cn"] = icalendar.vText(name)
    event.add("organizer", organizer_prop)
    attendee = icalendar.vCalAddress(f"mailto:{booking.user.email}")
    attendee.params["cn"] = icalendar.vText(booking.user.name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("DECLINED" if cancel else "ACCEPTED")
    event.add("attendee", attendee)
    cal.add_component(event)
    return _finish(cal, [session])


def feed_ics(bookings, *, now: datetime, tz_name: str, name: str, url_for_session) -> bytes:
    """A person's feed: their confirmed (or attended) bookings; cancelled ones appear as cancelled events."""
    cal = _calendar("PUBLISH", name)
    sessions = []
    for booking in bookings:
        cancel = booking.status not in (CONFIRMED, "attended", "no_show")
        cal.add_component(_event(booking.session, booking_uid(booking), booking.sequence, now, tz_name,
                                 url_for_session(booking.session), cancelled=cancel))
        sessions.append(booking.session)
    return _finish(cal, sessions)


def lab_feed_ics(sessions, *, now: datetime, tz_name: str, name: str, url_for_session) -> bytes:
    """A lab's sessions for its coordinator, with the seats taken in the description."""
    cal = _calendar("PUBLISH", name)
    for session in sessions:
        event = _event(session, f"session-{session.id}@{UID_DOMAIN}", session.sequence, now, tz_name,
                       url_for_session(session))
        event["description"] = icalendar.vText(
            f"{session.confirmed_count}/{session.capacity} · waitlist {len(session.waitlist)}\n{url_for_session(session)}")
        cal.add_component(event)
    return _finish(cal, sessions)
