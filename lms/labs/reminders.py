"""Reminders before a lab session: outbox rows kept in step with the booking they are about.

`sync_reminders(booking, now)` is called after every change to a booking or its session (lms/labs/notify.py
tell()): a confirmed seat in a session still to come has one reminder per offset, due at start - offset;
anything else has none. The key (booking + offset) makes the row unique, so calling it again moves the
reminder (a moved session) instead of adding one; a reminder whose time has passed when the booking is made
is not sent late. Offsets come from the session (set by the coordinator) or LMS_REMINDER_OFFSETS, less those
the person switched off in their settings.
"""
from contextlib import nullcontext
from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.extensions import db
from lms.labs import ical
from lms.labs.models import CONFIRMED, Booking
from lms.labs.times import when_text
from lms.notify import mail, outbox
from lms.notify.offsets import OffsetError, parse_offsets

KIND = "reminder"


def topic(booking: Booking) -> str:
    return f"booking:{booking.id}"


def offsets_for(booking: Booking) -> list:
    """(label, timedelta) pairs this booking's person gets reminders at."""
    text = getattr(booking.session, "reminder_offsets", None)
    try:
        offsets = parse_offsets(text if text is not None else current_app.config["REMINDER_OFFSETS"])
    except OffsetError:
        offsets = parse_offsets("24h,2h")  # a bad setting must not stop bookings; the form refuses bad input
    switched_off = set(getattr(booking.user, "reminders_off", None) or [])
    return [(label, delta) for label, delta in offsets if label not in switched_off]


def sync_reminders(booking: Booking, now: datetime):
    """Queue, move or drop the reminders of `booking` to match its state. Flushes; the caller commits."""
    session = booking.session
    wanted = {}
    if booking.status == CONFIRMED and not session.is_cancelled and session.starts_at > now:
        wanted = {label: session.starts_at - delta for label, delta in offsets_for(booking)
                  if session.starts_at - delta > now}
    prefix = f"reminder:booking={booking.id}:"
    outbox.cancel(db.session, topic(booking), (KIND,))  # then queue again what is still wanted: same keys
    for label, due_at in wanted.items():
        mail.queue(db.session, build_reminder(booking, label, now), key=f"{prefix}offset={label}", kind=KIND,
                   due_at=due_at, user_id=booking.user_id, topic=topic(booking))


def build_reminder(booking: Booking, label: str, now: datetime):
    user, session = booking.user, booking.session
    config = current_app.config
    language = user.language if user.language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]
    url = mail.absolute_url("labs.session", session_id=session.id)
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=config["BASE_URL"])
    with context, force_locale(language):
        when = when_text(session, language, user.timezone or config["TIMEZONE"])
        msg = mail.build_message(
            user.email, _("Reminder: %(title)s, %(when)s", title=session.title, when=when), "labs/email/reminder",
            booking=booking, session=session, user=user, when=when, url=url,
            settings_url=mail.absolute_url("auth.settings"))
    data = ical.booking_ics(booking, now=now, tz_name=config["TIMEZONE"], organizer=config["MAIL_FROM"], url=url)
    msg.add_attachment(data, maintype="text", subtype="calendar", filename="invite.ics",
                       params={"method": "REQUEST"})
    return msg
