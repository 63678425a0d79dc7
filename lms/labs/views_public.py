"""Public pages: the labs index, a lab, the sessions calendar and list, a session."""
from datetime import date, timedelta
from urllib.parse import quote_plus

from flask import render_template, request
from flask_babel import get_timezone
from flask_login import current_user
from sqlalchemy import select

from lms.courses.media import image_response, resolve_in
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs import access
from lms.labs import booking as rules
from lms.labs import calendar as cal
from lms.labs.blueprint import bp
from lms.labs.models import Lab, LabSession
from lms.render import render


def map_url(lab: Lab) -> str:
    """An OpenStreetMap search for the lab's address (no map is embedded: the app works offline)."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(lab.address)}" if lab.address else ""


def next_sessions(lab: Lab, now, limit=3) -> list[LabSession]:
    return list(db.session.scalars(select(LabSession).where(
        LabSession.lab_id == lab.id, LabSession.cancelled_at.is_(None), LabSession.starts_at > now)
        .order_by(LabSession.starts_at).limit(limit)))


def _tz() -> str:
    return str(get_timezone())


@bp.get("/")
def index():
    labs = list(db.session.scalars(select(Lab).where(Lab.archived_at.is_(None)).order_by(Lab.name)))
    now = utcnow()
    return render_template("labs/index.html", labs=labs, upcoming={lab.id: next_sessions(lab, now) for lab in labs},
                           map_url=map_url)


@bp.get("/<slug>")
def lab(slug):
    lab = access.get_lab_or_404(slug)
    from flask_babel import get_locale

    language = str(get_locale())
    return render_template("labs/lab.html", lab=lab, language=language, map_url=map_url(lab),
                           description=render(lab.text("description", language)),
                           sessions=next_sessions(lab, utcnow(), limit=20),
                           can_manage=access.can_manage_lab(current_user, lab))


@bp.get("/files/<path:path>")
def media(path):
    """An image under the labs folder's media/ (a lab's `image`), served as course images are."""
    from flask import current_app

    return image_response(*resolve_in([current_app.config["LABS_DIR"]], path))


def _filters():
    labs = list(db.session.scalars(select(Lab).where(Lab.archived_at.is_(None)).order_by(Lab.name)))
    slug = request.args.get("lab", "")[:100]
    slug = slug if any(lab.slug == slug for lab in labs) else ""
    topic = request.args.get("topic", "").strip()[:100]
    return labs, slug, topic


def _day(name: str, default: date | None) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return default


@bp.get("/calendar")
def calendar():
    """A month (or week) grid of sessions in the person's time zone; arrow keys move between days."""
    labs, slug, topic = _filters()
    today = utcnow().astimezone(cal.zone(_tz())).date()
    shown = _day("date", today)
    view = "week" if request.args.get("view") == "week" else "month"
    if view == "week":
        first = shown - timedelta(days=shown.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first, last = cal.month_span(shown.year, shown.month)
        previous = (shown.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (shown.replace(day=28) + timedelta(days=4)).replace(day=1)
    start, end = cal.utc_bounds(first, last, _tz())
    sessions = cal.find_sessions(start, end, lab_slug=slug, topic=topic)
    grid = cal.week_days(shown, sessions, _tz()) if view == "week" else cal.month_grid(
        shown.year, shown.month, sessions, _tz())
    days = [d.day for d in (grid if view == "week" else [d for week in grid for d in week]) if d.in_range]
    focus_day = today if today in days else (shown if shown in days else days[0])  # the one cell Tab reaches
    return render_template("labs/calendar.html", view=view, grid=grid, shown=shown, today=today, labs=labs,
                           focus_day=focus_day,
                           lab_slug=slug, topic=topic, previous=previous, following=following)


@bp.get("/sessions")
def sessions():
    """Upcoming sessions as a list, filtered by lab, topic and dates."""
    labs, slug, topic = _filters()
    today = utcnow().astimezone(cal.zone(_tz())).date()
    first = _day("from", today)
    last = _day("to", None) or first + timedelta(days=90)
    if last < first:
        first, last = last, first
    start, end = cal.utc_bounds(first, last, _tz())
    found = cal.find_sessions(start, end, lab_slug=slug, topic=topic)
    return render_template("labs/sessions.html", sessions=found, labs=labs, lab_slug=slug, topic=topic,
                           first=first, last=last)


@bp.get("/sessions/<int:session_id>")
def session(session_id):
    session = access.get_session_or_404(session_id, current_user)
    now = utcnow()
    mine = rules.active_booking(session, current_user) if current_user.is_authenticated else None
    manages = access.can_manage_session(current_user, session)
    staff = []
    if current_user.is_authenticated and not manages and current_user.has_role("company_manager"):
        staff = access.staff_of(current_user)
    staff_bookings = {}
    if staff:
        staff_bookings = {b.user_id: b for b in session.bookings if b.is_active and b.user_id in {u.id for u in staff}}
    return render_template(
        "labs/session.html", session=session, now=now, mine=mine, manages=manages, staff=staff,
        staff_bookings=staff_bookings, is_open=session.is_open(now) and not session.is_past(now),
        description=render(session.description), status_labels=rules.STATUS_LABELS,
        attendance_open=now >= session.starts_at - rules.ATTENDANCE_FROM and not session.is_cancelled)
