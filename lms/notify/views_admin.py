"""Admin: the outbox (queued, sent, failed, with the error) and when each scheduler last ran."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.notify.models import STATUSES, OutboxMessage, SchedulerRun

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/outbox")
PER_PAGE = 50


@bp.before_request
@login_required
def admins_only():
    """Every page here is for admins. Checked here rather than with auth's decorator: auth sends its mail
    through notify, so notify imports nothing from auth (features import each other one way)."""
    if not current_user.is_admin:
        abort(403)


@bp.get("/")
def index():
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    runs = list(db.session.scalars(select(SchedulerRun).order_by(SchedulerRun.last_run_at.desc()).limit(10)))
    interval = timedelta(seconds=3 * int(current_app.config["SCHEDULER_INTERVAL"]))
    stale = not runs or runs[0].last_run_at is None or runs[0].last_run_at < utcnow() - interval
    return render_template("notify/outbox.html", page=page, status=status, statuses=STATUSES, counts=counts,
                           runs=runs, stale=stale)


@bp.post("/<int:message_id>/retry")
def retry(message_id):
    """Queue a failed message again (after fixing the SMTP settings, say)."""
    row = db.get_or_404(OutboxMessage, message_id)
    if row.status == "failed":
        row.status, row.attempts, row.due_at, row.last_error = "queued", 0, utcnow(), None
        flash(_("The message is queued again."), "success")
    return redirect(url_for("outbox_admin.index", status=request.args.get("status", "")))
