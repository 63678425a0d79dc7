"""A person's bookings: book, cancel, "my bookings", .ics files and the personal calendar feed."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.labs import access, feeds, ical
from lms.labs import booking as rules
from lms.labs.blueprint import bp
from lms.labs.errors import LabError
from lms.labs.models import CANCELLED, Booking, LabSession
from lms.notify.mail import absolute_url


def _session_url(session) -> str:
    return absolute_url("labs.session", session_id=session.id)


def _ics_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@bp.post("/sessions/<int:session_id>/book")
@login_required
def book(session_id):
    """Book the signed-in person, or (`user_id`) a member of staff of a company manager / anyone for a coordinator."""
    session = access.get_session_or_404(session_id, current_user)
    person = current_user
    try:
        if request.form.get("email"):  # a coordinator or a company manager books someone by e-mail address
            person = rules.person_to_book(current_user, session, email=request.form["email"])
            if person is None:  # said only to the session's coordinator, who may book anyone
                flash(_("No account has the e-mail address %(email)s.", email=request.form["email"][:254]), "error")
                return redirect(url_for("labs.session", session_id=session_id) + "#bookings")
        elif request.form.get("user_id"):
            raw = request.form["user_id"]
            user_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
            person = rules.person_to_book(current_user, session, user_id=user_id)
            if person is None:
                abort(404)
        booking = rules.book_seat(session, person, by=current_user, now=utcnow())
    except LabError as exc:
        flash_refusal(exc)
        return redirect(url_for("labs.session", session_id=session_id))
    if booking.status == "confirmed":
        flash(_("%(name)s has a seat. A confirmation with a calendar invitation is on its way.", name=person.name),
              "success")
    else:
        flash(_("The session is full: %(name)s is number %(position)s on the waitlist.", name=person.name,
                position=booking.position), "warning")
    return redirect(url_for("labs.session", session_id=session_id))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id):
    booking = access.get_booking_or_404(booking_id, current_user)
    try:
        rules.cancel_booking(booking, by=current_user, now=utcnow())
    except LabError as exc:
        flash_refusal(exc)
    else:
        flash(_("The booking is cancelled."), "success")
    target = request.form.get("next", "")
    if target == "my_bookings":
        return redirect(url_for("labs.my_bookings"))
    return redirect(url_for("labs.session", session_id=booking.session_id))


@bp.get("/my-bookings")
@login_required
def my_bookings():
    return _my_bookings_page()


def _my_bookings_page(feed_token: str = ""):
    now = utcnow()
    rows = list(db.session.scalars(select(Booking).join(LabSession).where(Booking.user_id == current_user.id)
                                   .order_by(LabSession.starts_at)))
    upcoming = [b for b in rows if b.session.ends_at > now and b.status != CANCELLED]
    past = [b for b in reversed(rows) if b not in upcoming]
    feed_urls = []
    if feed_token:  # shown once, in the answer to the POST that made it
        feed_urls = [(_("My bookings"), absolute_url("labs.feed", token=feed_token))]
        feed_urls += [(lab.name, absolute_url("labs.lab_feed", token=feed_token, slug=lab.slug))
                      for lab in access.managed_labs(current_user)]
    return render_template("labs/my_bookings.html", upcoming=upcoming, past=past, now=now,
                           status_labels=rules.STATUS_LABELS, has_feed=feeds.has_feed(current_user),
                           feed_urls=feed_urls)


@bp.get("/bookings/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id):
    booking = access.get_booking_or_404(booking_id, current_user)
    config = current_app.config
    data = ical.booking_ics(booking, now=utcnow(), tz_name=config["TIMEZONE"], organizer=config["MAIL_FROM"],
                            url=_session_url(booking.session), cancel=booking.status == CANCELLED)
    return _ics_response(data, f"booking-{booking.id}.ics")


@bp.post("/calendar-feed")
@login_required
def feed_link():
    """Make a new secret feed link (the old one stops working), or revoke it (`revoke`)."""
    if request.form.get("revoke"):
        feeds.revoke_feed_token(current_user)
        flash(_("Your calendar link no longer works."), "success")
        return redirect(url_for("labs.my_bookings"))
    token = feeds.issue_feed_token(current_user)
    flash(_("Your new calendar link is below: copy it now, it is shown only once."), "success")
    return _my_bookings_page(token)


@bp.get("/feed/<token>.ics")
def feed(token):
    """A person's bookings as a calendar a calendar app subscribes to; the secret token is the only key."""
    user = feeds.user_for_feed_token(token)
    if user is None:
        abort(404)
    rows = db.session.scalars(select(Booking).where(Booking.user_id == user.id).order_by(Booking.id))
    data = ical.feed_ics(rows, now=utcnow(), tz_name=current_app.config["TIMEZONE"],
                         name=f"Officina 4.0 — {user.name}", url_for_session=_session_url)
    return _ics_response(data, "officina-bookings.ics")


@bp.get("/feed/<token>/labs/<slug>.ics")
def lab_feed(token, slug):
    """A lab's sessions for a coordinator who manages it (by their own feed token)."""
    user = feeds.user_for_feed_token(token)
    lab = access.get_lab_or_404(slug)
    if user is None or not access.can_manage_lab(user, lab):
        abort(404)
    rows = db.session.scalars(select(LabSession).where(LabSession.lab_id == lab.id).order_by(LabSession.starts_at))
    data = ical.lab_feed_ics(list(rows), now=utcnow(), tz_name=current_app.config["TIMEZONE"],
                             name=f"Officina 4.0 — {lab.name}", url_for_session=_session_url)
    return _ics_response(data, f"{lab.slug}.ics")
