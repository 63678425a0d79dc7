"""A trainer's view of the courses they teach: participants and gradebook (learner x module), drill-down and
CSV/XLSX export. Only for courses the trainer teaches (admins: all)."""
from flask import render_template, request, url_for
from flask_login import current_user, login_required

from lms.dbtypes import utcnow
from lms.http import attachment
from lms.progress import access, detail, exports, filters, queries
from lms.progress.blueprint import bp
from lms.progress.views_reports import learner_page


@bp.get("/courses")
@login_required
def teaching():
    courses = access.taught_courses(current_user)
    overview, hardest = detail.trainer_overview(courses, utcnow())
    return render_template("progress/teaching.html", overview=overview, hardest=hardest)


@bp.get("/courses/<slug>")
@login_required
def course(slug):
    course = access.get_taught_course_or_404(slug, current_user)
    now = utcnow()
    scope = access.course_scope(course)
    chosen = queries.Filters(course_id=course.id, inactive_days=filters.parse_filters(request.args).inactive_days)
    page = filters.parse_page(request.args, queries.count_rows(scope, chosen, now))
    rows = queries.rows(scope, chosen, now, limit=page.per_page, offset=page.offset)
    book = detail.gradebook(course, [r.user_id for r in rows])
    return render_template("progress/course.html", course=course, rows=rows, book=book, page=page, now=now,
                           filters=chosen)


@bp.get("/courses/<slug>/gradebook.<any(csv, xlsx):fmt>")
@login_required
def course_export(slug, fmt):
    course = access.get_taught_course_or_404(slug, current_user)
    now = utcnow()
    rows = queries.rows(access.course_scope(course), queries.Filters(course_id=course.id), now)
    header, lines = detail.gradebook_lines(detail.gradebook(course, [r.user_id for r in rows]), rows)
    body = exports.to_xlsx(header, lines, title=course.slug) if fmt == "xlsx" else exports.to_csv(header, lines)
    name = f"gradebook-{course.slug}-{now:%Y%m%d}.{fmt}"
    return attachment(body, name, exports.MIMETYPES[fmt])


@bp.get("/courses/<slug>/learners/<int:user_id>")
@login_required
def course_learner(slug, user_id):
    course = access.get_taught_course_or_404(slug, current_user)
    learner = access.get_course_learner_or_404(course, user_id)
    return learner_page(learner, queries.Filters(course_id=course.id), url_for("progress.course", slug=course.slug),
                        course.title)
