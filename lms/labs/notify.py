"""Telling people about their bookings: one e-mail per change, with the booking's .ics where it has one.

Messages are queued on the database session by `lms.notify.mail.queue` and sent only after the commit, so a
refused or rolled-back change e-mails nobody. Each Message-ID is derived from the booking and its sequence,
so the same change is the same message (the reminders' outbox will rely on it).
"""
from contextlib import nullcontext
from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.extensions import db
from lms.labs import ical, reminders
from lms.labs.models import SEAT_STATUSES, Booking
from lms.labs.times import when_text
from lms.notify import mail

KINDS = ("confirmed", "waitlisted", "promoted", "cancelled", "session_cancelled", "session_moved")


def _subject(kind: str, booking: Booking, when: str) -> str:
    title = booking.session.title
    return {
        "confirmed": _("Seat confirmed: %(title)s, %(when)s", title=title, when=when),
        "waitlisted": _("Waitlist place %(position)s: %(title)s", position=booking.position, title=title),
        "promoted": _("A seat is yours: %(title)s, %(when)s", title=title, when=when),
        "cancelled": _("Booking cancelled: %(title)s", title=title),
        "session_cancelled": _("Session cancelled: %(title)s, %(when)s", title=title, when=when),
        "session_moved": _("Session moved: %(title)s, now %(when)s", title=title, when=when),
    }[kind]


def tell(kind: str, booking: Booking, now: datetime, *, had_seat: bool | None = None):
    """Queue the message of `kind` about `booking` to its person, in their language and time zone.

    A seat-holder gets the invitation (METHOD:REQUEST); a withdrawn seat gets METHOD:CANCEL (`had_seat` says
    whether the person held one before a cancellation).
    """
    assert kind in KINDS, kind
    user = booking.user
    config = current_app.config
    language = user.language if user.language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]
    tz_name = user.timezone or config["TIMEZONE"]
    url = mail.absolute_url("labs.session", session_id=booking.session_id)
    if kind in ("cancelled", "session_cancelled"):
        method = "CANCEL" if had_seat else None
    elif booking.status in SEAT_STATUSES:
        method = "REQUEST"
    else:
        method = "CANCEL" if had_seat else None
    # Outside a request (CLI, jobs, tests of rules) templates still need one for the context processors.
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=config["BASE_URL"])
    with context, force_locale(language):
        when = when_text(booking.session, language, tz_name)
        msg = mail.build_message(
            user.email, _subject(kind, booking, when), "labs/email/booking",
            message_id=f"<labs-{kind}-{booking.id}-{booking.sequence}@{ical.UID_DOMAIN}>",
            kind=kind, booking=booking, session=booking.session, user=user, when=when, url=url,
            my_bookings_url=mail.absolute_url("labs.my_bookings"))
    if method:
        data = ical.booking_ics(booking, now=now, tz_name=config["TIMEZONE"], organizer=config["MAIL_FROM"],
                                url=url, cancel=method == "CANCEL")
        msg.add_attachment(data, maintype="text", subtype="calendar", filename="invite.ics",
                           params={"method": method})
    mail.queue(db.session, msg, kind=f"labs.{kind}", user_id=user.id)  # the outbox page shows what and to whom
    reminders.sync_reminders(booking, now)  # every change to a booking keeps its reminders in step
