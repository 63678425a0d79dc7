"""Organisation reports: a company manager's staff x courses, an ITS foundation's cohorts x courses, with
filters, charts, per-learner drill-down and CSV/XLSX export. One view for both kinds; access.py decides."""
import json

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.auth.models import ROLES
from lms.courses.models import Course
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import attachment
from lms.progress import access, detail, exports, filters, queries
from lms.progress.blueprint import bp

MAX_EXPORT_ROWS = 200_000


def _choose(kind: str):
    organisations = [o for o in access.visible_organisations(current_user) if o.kind == kind]
    if len(organisations) == 1:
        return redirect(url_for("progress.organisation", organisation_id=organisations[0].id))
    return render_template("progress/choose.html", organisations=organisations)


@bp.get("/staff")
@login_required
def staff():
    """A company manager's staff: their company's report (or the list, when they manage several)."""
    return _choose("company")


@bp.get("/cohorts")
@login_required
def cohorts():
    """ITS staff: their foundation's report (or the list of their foundations)."""
    return _choose("its")


def _report_args(organisation):
    now = utcnow()
    chosen = filters.parse_filters(request.args, organisation)
    return now, chosen, access.organisation_scope(organisation)


@bp.get("/organisations/<int:organisation_id>")
@login_required
def organisation(organisation_id):
    organisation = access.get_organisation_or_404(organisation_id, current_user)
    now, chosen, scope = _report_args(organisation)
    group = request.args.get("group") == "editions"
    summaries = queries.course_summaries(scope, chosen, now, group_editions=group)
    # Each row is one enrolment in a published course, as each summary counts them: no count statement of its own.
    page = filters.parse_page(request.args, sum(s.enrolled for s in summaries))
    rows = queries.rows(scope, chosen, now, limit=page.per_page, offset=page.offset)
    charts = queries.charts(scope, chosen, now)
    courses = db.session.scalars(select(Course).where(Course.is_published.is_(True)).order_by(Course.title)).all()
    return render_template(
        "progress/organisation.html", organisation=organisation, rows=rows, page=page, summaries=summaries,
        headcount=queries.headcount(scope, chosen, now), attention=queries.attention(scope, chosen, now, limit=8),
        chart_data=json.dumps(charts), filters=chosen, courses=courses, roles=ROLES, group=group, now=now,
        export_args={k: v for k, v in request.args.items() if k in ("cohort", "course", "role", "inactive")})


@bp.get("/organisations/<int:organisation_id>/export.<any(csv, xlsx):fmt>")
@login_required
def organisation_export(organisation_id, fmt):
    organisation = access.get_organisation_or_404(organisation_id, current_user)
    now, chosen, scope = _report_args(organisation)
    rows = queries.rows(scope, chosen, now, limit=MAX_EXPORT_ROWS)
    name = f"progress-{organisation.id}-{now:%Y%m%d}.{fmt}"
    return attachment(exports.rows_file(rows, fmt), name, exports.MIMETYPES[fmt])


@bp.get("/organisations/<int:organisation_id>/learners/<int:user_id>")
@login_required
def organisation_learner(organisation_id, user_id):
    organisation = access.get_organisation_or_404(organisation_id, current_user)
    learner = access.get_learner_in_organisation_or_404(organisation, user_id)
    return learner_page(learner, queries.Filters(), url_for("progress.organisation", organisation_id=organisation.id),
                        organisation.name)


def learner_page(learner, chosen: queries.Filters, back: str, back_label: str):
    """One learner's drill-down from a report (an organisation's, or a trainer's course): their courses within
    `chosen` with modules, attempts and certificates, their lab bookings, and a link `back` to the report."""
    now = utcnow()
    rows = queries.rows(access.self_scope(learner), chosen, now)
    info = detail.learner_detail(learner.id, [r.course_id for r in rows])
    return render_template("progress/learner.html", learner=learner, rows=rows, info=info, now=now, back=back,
                           back_label=back_label)
