"""Coordinators' pages: their home, the session form (create, edit, move, resize, repeat), cancelling a
session, attendance, the printable sign-in sheet and the CSV export of the list."""
import csv
import io
from datetime import date, datetime, timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.decorators import role_required
from lms.auth.models import User, UserRole
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.labs import access
from lms.labs import booking as rules
from lms.labs import calendar as cal
from lms.labs import sessions as session_rules
from lms.labs.blueprint import bp
from lms.labs.errors import LabError
from lms.labs.forms import SessionForm
from lms.labs.models import CONFIRMED, Lab, LabSession
from lms.labs.times import local_to_utc, zone
from lms.orgs.people import organisation_choices

# The form field each rule's `field` belongs to.
FORM_FIELDS = {"starts_at": "start", "ends_at": "end", "closes_at": "cutoff_hours", "opens_at": "opens_on",
               "organisations": "organisations", "trainer": "trainer", "lab": "lab", "capacity": "capacity",
               "title": "title", "repeat": "dates", "course": "course", "audience": "audience",
               "reminder_offsets": "reminders"}


def _tz() -> str:
    return str(get_timezone())


def _managed_sessions(start: datetime, end: datetime) -> list[LabSession]:
    return [s for s in cal.find_sessions(start, end, include_cancelled=False)
            if access.can_manage_session(current_user, s)]


@bp.get("/coordination")
@role_required("coordinator")
def coordination():
    """Today's and this week's sessions with seats and waitlists; coming sessions without a trainer."""
    tz = _tz()
    today = utcnow().astimezone(zone(tz)).date()
    monday = today - timedelta(days=today.weekday())
    day_start, day_end = cal.utc_bounds(today, today, tz)
    week_start, week_end = cal.utc_bounds(monday, monday + timedelta(days=6), tz)
    coming = _managed_sessions(utcnow(), utcnow() + timedelta(days=90))
    return render_template(
        "labs/coordination.html", today_sessions=_managed_sessions(day_start, day_end),
        week_sessions=_managed_sessions(week_start, week_end), without_trainer=[s for s in coming if s.trainer is None],
        waitlisted=[s for s in coming if s.waitlist], labs=access.managed_labs(current_user))


def _form(session: LabSession | None = None) -> SessionForm:
    form = SessionForm()
    labs = access.managed_labs(current_user)
    if session is not None and session.lab is not None and session.lab not in labs:
        labs.append(session.lab)
    form.lab.choices = [(lab.id, lab.name) for lab in labs] + [(0, _("No lab"))]
    trainers = db.session.scalars(select(User).join(UserRole).where(UserRole.role == "trainer", User.is_active)
                                  .order_by(User.name))
    form.trainer.choices = [(0, _("No trainer yet"))] + [(u.id, u.name) for u in trainers]
    form.organisations.choices = organisation_choices()
    from lms.courses.models import Course

    form.course.choices = [(0, "—")] + [(c.id, c.title) for c in db.session.scalars(
        select(Course).where(Course.is_published.is_(True)).order_by(Course.title))]
    if session is not None:
        form.move_to_waitlist.choices = [(b.id, b.user.name) for b in session.bookings if b.status == CONFIRMED]
    return form


def _fill(form: SessionForm, session: LabSession):
    """Put a session's values in the form, in the coordinator's time zone (for a GET of the edit page)."""
    tz = zone(_tz())
    start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    form.lab.data = session.lab_id or 0
    form.title.data, form.topic.data, form.description.data = session.title, session.topic, session.description
    form.trainer.data = session.trainer_id or 0
    form.day.data, form.start.data, form.end.data = start.date(), start.time().replace(second=0), end.time()
    form.capacity.data = session.capacity
    form.audience.data = session.audience
    form.organisations.data = list(session.allowed_organisation_ids or [])
    form.course.data = session.allowed_course_id or 0
    form.opens_on.data = session.booking_opens_at.astimezone(tz).date() if session.booking_opens_at else None
    form.cutoff_hours.data = int((session.starts_at - session.cutoff).total_seconds() // 3600)
    form.reminders.data = (session.reminder_offsets if session.reminder_offsets is not None
                           else current_app.config["REMINDER_OFFSETS"])


def _details(form: SessionForm) -> session_rules.SessionDetails:
    tz = _tz()
    starts_at = local_to_utc(form.day.data, form.start.data, tz, "starts_at")
    ends_at = local_to_utc(form.day.data, form.end.data, tz, "ends_at")  # the same day: an end before the start is refused
    opens_at = local_to_utc(form.opens_on.data, datetime.min.time(), tz, "opens_at") if form.opens_on.data else None
    hours = form.cutoff_hours.data or 0
    return session_rules.SessionDetails(
        title=form.title.data or "", starts_at=starts_at, ends_at=ends_at, capacity=form.capacity.data,
        lab=db.session.get(Lab, form.lab.data) if form.lab.data else None, topic=form.topic.data or "",
        description=form.description.data or "",
        trainer=db.session.get(User, form.trainer.data) if form.trainer.data else None,
        audience=form.audience.data, organisation_ids=form.organisations.data or [],
        course_id=form.course.data or None, opens_at=opens_at,
        closes_at=starts_at - timedelta(hours=hours) if hours else None,
        reminder_offsets=(form.reminders.data or "").strip())


def _keep_seconds(details: session_rules.SessionDetails, session: LabSession) -> session_rules.SessionDetails:
    """The form shows minutes: a time left as it was keeps the session's exact instant, so saving an
    unchanged form (of a session made through the API with seconds) is not a move that e-mails everyone."""
    for name, current in (("starts_at", session.starts_at), ("ends_at", session.ends_at),
                          ("closes_at", session.booking_closes_at)):
        typed = getattr(details, name)
        if typed is not None and current is not None and abs(typed - current) < timedelta(minutes=1):
            setattr(details, name, current)
    return details


def _starts(form: SessionForm, details) -> list[datetime]:
    if form.repeat.data == "weekly":
        return session_rules.weekly_starts(details.starts_at, form.weeks.data or 1, _tz())
    if form.repeat.data == "custom":
        starts = [details.starts_at]
        for line in (form.dates.data or "").split():
            try:
                day = date.fromisoformat(line.strip())
            except ValueError:
                raise LabError(_("Not a date: %(value)s (write it as 2027-03-15).", value=line[:20]),
                               field="repeat") from None
            starts.append(local_to_utc(day, form.start.data, _tz(), "repeat"))
        return starts
    return [details.starts_at]


def _show_error(form: SessionForm, exc: LabError):
    """Attach the message to its field, so the form comes back with what was typed and the reason beside it."""
    db.session.rollback()
    name = FORM_FIELDS.get(exc.field or "")
    if name and name in form:
        form[name].errors = list(form[name].errors) + [str(exc)]
    else:
        flash(str(exc), "error")


@bp.route("/sessions/new", methods=["GET", "POST"])
@role_required("coordinator")
def new_session():
    form = _form()
    if request.method == "GET":  # start from the chosen (or first) lab and its usual number of seats
        lab = db.session.scalar(select(Lab).where(Lab.slug == request.args.get("lab", "")[:100]))
        lab = lab or next(iter(access.managed_labs(current_user)), None)
        if lab is not None:
            form.lab.data, form.capacity.data = lab.id, lab.seats
        form.reminders.data = current_app.config["REMINDER_OFFSETS"]
    if form.validate_on_submit():
        try:
            details = _details(form)
            made = session_rules.create_sessions(details, _starts(form, details), by=current_user, now=utcnow())
        except LabError as exc:
            _show_error(form, exc)
        else:
            db.session.flush()
            flash(_("%(n)d session(s) published.", n=len(made)), "success")
            return redirect(url_for("labs.session", session_id=made[0].id))
    return render_template("labs/session_form.html", form=form, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit_session(session_id):
    session = access.get_session_or_404(session_id, current_user, manage=True)
    form = _form(session)
    if request.method == "GET":
        _fill(form, session)
    elif form.validate_on_submit():
        try:
            details = _keep_seconds(_details(form), session)
            if form.scope.data == "all" and session.series_id:
                session_rules.update_series(session, details, by=current_user, now=utcnow())
            else:
                session_rules.update_session(session, details, by=current_user, now=utcnow(),
                                             move_to_waitlist=form.move_to_waitlist.data or [])
        except LabError as exc:
            _show_error(form, exc)
        else:
            flash(_("The session is saved; the people booked have been told of any change of time."), "success")
            return redirect(url_for("labs.session", session_id=session.id))
    return render_template("labs/session_form.html", form=form, session=session)


@bp.post("/sessions/<int:session_id>/cancel")
@role_required("coordinator")
def cancel_session(session_id):
    session = access.get_session_or_404(session_id, current_user, manage=True)
    targets = session_rules.series_of(session, utcnow()) if request.form.get("scope") == "all" else [session]
    try:
        for target in targets:
            session_rules.cancel_session(target, by=current_user, now=utcnow())
    except LabError as exc:
        flash_refusal(exc)
    else:
        flash(_("Cancelled; everyone booked has been told."), "success")
    return redirect(url_for("labs.session", session_id=session.id))


@bp.post("/bookings/<int:booking_id>/attendance")
@role_required("coordinator")
def attendance(booking_id):
    booking = access.get_booking_or_404(booking_id, current_user)
    if not access.can_manage_session(current_user, booking.session):
        abort(403)
    try:
        rules.mark_attendance(booking, request.form.get("status", ""), now=utcnow())
    except LabError as exc:
        flash_refusal(exc)
    return redirect(url_for("labs.session", session_id=booking.session_id) + "#bookings")


@bp.get("/sessions/<int:session_id>/sign-in-sheet")
@role_required("coordinator")
def sign_in_sheet(session_id):
    session = access.get_session_or_404(session_id, current_user, manage=True)
    people = sorted(session.seat_holders, key=lambda b: b.user.name.lower())
    return render_template("labs/sign_in_sheet.html", session=session, people=people)


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/sessions/<int:session_id>/bookings.csv")
@role_required("coordinator")
def bookings_csv(session_id):
    session = access.get_session_or_404(session_id, current_user, manage=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "status", "position", "booked_by", "booked_at"])
    for b in session.bookings:
        writer.writerow([_cell(v) for v in (b.user.name, b.user.email, b.status, b.position,
                                            b.booked_by.email if b.booked_by else "", b.created_at.isoformat())])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="session-{session.id}-bookings.csv"'})
