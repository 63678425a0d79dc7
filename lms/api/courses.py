"""API v1: the catalogue and enrolment (the caller's progress: lms/api/progress.py)."""
from flask import abort, current_app, g, jsonify, url_for
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from lms.api import paths
from lms.api.auth import paginate_args, token_required
from lms.api.body import json_object
from lms.api.serializers import iso, page_dict
from lms.api.views import bp
from lms.auth.login_limits import account_key
from lms.auth.models import User
from lms.courses import access, enrolment, reading
from lms.courses.models import Course, Enrolment, Module
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import json_error
from lms.pagecache import cached_api_page
from lms.progress import queries as progress_queries


def _page_url(endpoint, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def course_dict(course: Course, editions: list[Course] | None = None) -> dict:
    """The course's fields; with its live modules and its other published `editions` when these are given (the
    answer about one course)."""
    data = {
        "id": course.id, "slug": course.slug, "title": course.title, "summary": course.summary,
        "language": course.language, "audience": list(course.audience or []),
        "trainers": list(course.trainer_emails or []), "minutes": course.total_minutes,
        "module_count": len(course.live_modules), "url": _page_url("courses.course", slug=course.slug),
        # Editions: the original's slug for a translation, null for an original.
        "translation_of": course.translation_of,
    }
    if editions is not None:
        data["editions"] = [{"slug": other.slug, "language": other.language,
                             "url": _page_url("courses.course", slug=other.slug)}
                            for other in editions if access.can_see_course(g.api_user, other)]
        data["modules"] = [
            {"id": m.id, "slug": m.slug, "position": index, "title": m.title, "minutes": m.minutes,
             "audience": list(m.effective_audience),
             "url": _page_url("courses.module", slug=course.slug, module_slug=m.slug)}
            for index, m in enumerate(course.live_modules, start=1)
        ]
    return data


@bp.get("/courses")
@token_required
def courses():
    page, per_page = paginate_args()
    query = select(Course).where(Course.is_published)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Course.title).limit(per_page).offset((page - 1) * per_page))
    return jsonify(page_dict([course_dict(c) for c in rows], total, page, per_page))


# GET /courses/<slug> in two statements built once (a fresh statement per request cost more CPU than running it):
# the course named with its other editions (reading.course_and_editions, as the course page reads them), then its
# modules without their Markdown.
_MODULES = (select(Module).where(Module.course_id == bindparam("course_id")).order_by(Module.position)
            .options(defer(Module.body), defer(Module.summary)))


@bp.get("/courses/<slug>")
@token_required
@cached_api_page
def course(slug):
    course, _enrolled, editions = reading.course_and_editions(slug, g.api_user)
    if course is None or not access.can_see_course(g.api_user, course):
        abort(404)  # as access.get_course_or_404: a draft's existence is not revealed
    set_committed_value(course, "modules", list(db.session.scalars(_MODULES, {"course_id": course.id})))
    return jsonify(course_dict(course, editions))


@bp.post("/courses/<slug>/enrolment")
@token_required
def enrol(slug):
    """Enrol the caller, or with {"user_email": ...} a member of an organisation the caller manages."""
    course = access.get_course_or_404(slug, g.api_user)
    body = json_object()  # broken JSON is a 400 invalid_json, never read as {} (which would enrol the caller)
    learner = g.api_user
    if body.get("user_email"):
        learner = User.by_email(account_key(str(body["user_email"])))
        if learner is None:
            if not g.api_user.is_admin:  # the same answer as for a person the caller may not enrol
                return json_error(403, "forbidden", str(enrolment.NOT_YOURS))
            return json_error(404, "not_found", "No account has this e-mail address.")
    existing = enrolment.get_enrolment(learner, course)
    try:
        row = enrolment.enrol(learner, course, by=g.api_user, now=utcnow())
    except enrolment.EnrolmentError as exc:
        return json_error(403, "forbidden", str(exc))
    db.session.flush()
    return jsonify(enrolment_dict(row)), (200 if existing else 201)


def enrolment_dict(row: Enrolment) -> dict:
    done, total, percent = progress_queries.course_progress(row.course_id, [row.user_id]).get(row.user_id, (0, 0, 0))
    return {"id": row.id, "course": row.course.slug, "user_email": row.user.email,
            "enrolled_at": iso(row.enrolled_at), "completed_at": iso(row.completed_at),
            "modules_completed": done, "modules_total": total, "percent": percent}


def _openapi(doc_paths, unauthorized):
    def ok(description, ref):
        return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}

    slug = [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]
    paging = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
              {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}]
    doc_paths["/courses"] = {"get": {"summary": "Published courses", "parameters": paging,
                                     "responses": {"200": ok("A page of courses", "#/components/schemas/CourseList"),
                                                   "401": unauthorized}}}
    doc_paths["/courses/{slug}"] = {"get": {"summary": "A course with its modules and their page URLs",
                                            "parameters": slug,
                                            "responses": {"200": ok("The course", "#/components/schemas/Course"),
                                                          "401": unauthorized, "404": {"description": "No such course"}}}}
    doc_paths["/courses/{slug}/enrolment"] = {"post": {
        "summary": "Enrol the caller, or {user_email} (a member of an organisation the caller manages)",
        "parameters": slug,
        "requestBody": {"required": False, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"user_email": {"type": "string"}}}}}},
        "responses": {"201": {"description": "Enrolled"}, "200": {"description": "Already enrolled"},
                      "401": unauthorized,
                      "403": {"description": "Not allowed: the same answer for an unknown account and one the caller "
                                             "may not enrol"},
                      "404": {"description": "No such course (or, for an admin, no such account)"}}}}


paths.REGISTRY.append(_openapi)
