"""API v1: organisations, an organisation's progress (paged, filterable), the caller's progress, and xAPI
statements of completions and quiz results. Access and queries are lms.progress's, as for the pages."""
from flask import current_app, g, jsonify, request

from lms.api import paths
from lms.api.auth import paginate_args, token_required
from lms.api.serializers import iso, page_dict
from lms.api.views import bp
from lms.dbtypes import utcnow
from lms.http import json_error
from lms.pagecache import cached_api_page
from lms.progress import access, filters, own, queries, statements


def row_dict(row: queries.Row, now) -> dict:
    return {"user": {"id": row.user_id, "name": row.name, "email": row.email},
            "course": {"id": row.course_id, "slug": row.course_slug, "title": row.course_title,
                       "language": row.course_language, "edition_of": row.edition_of},
            "enrolled_at": iso(row.enrolled_at), "completed_at": iso(row.completed_at),
            "modules_completed": row.done, "modules_total": row.total, "percent": row.percent,
            "best_score": row.best_score, "final_score": row.final_score, "attempts": row.attempts,
            "labs_attended": row.attended, "lab_no_shows": row.no_shows, "upcoming_bookings": row.upcoming,
            "last_activity": iso(row.last_activity), "attention": row.attention(now)}


def organisation_dict(organisation) -> dict:
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind, "city": organisation.city,
            "cohorts": [{"id": c.id, "name": c.name} for c in organisation.cohorts]}


@bp.errorhandler(filters.FilterError)
def _bad_filter(exc):
    return json_error(400, "bad_request", exc.description)


@bp.get("/organisations")
@token_required
def organisations():
    page, per_page = paginate_args()
    rows = access.own_organisations(g.api_user)
    items = [organisation_dict(o) for o in rows[(page - 1) * per_page: page * per_page]]
    return jsonify(page_dict(items, len(rows), page, per_page))


@bp.get("/organisations/<int:organisation_id>/progress")
@token_required
def organisation_progress(organisation_id):
    organisation = access.get_organisation_or_404(organisation_id, g.api_user)
    chosen = filters.parse_filters(request.args, organisation)
    page, per_page = paginate_args()
    now = utcnow()
    scope = access.organisation_scope(organisation)
    total = queries.count_rows(scope, chosen, now)
    rows = queries.rows(scope, chosen, now, limit=per_page, offset=(page - 1) * per_page)
    body = page_dict([row_dict(r, now) for r in rows], total, page, per_page)
    body["organisation"] = {"id": organisation.id, "name": organisation.name, "kind": organisation.kind}
    return jsonify(body)


@bp.get("/organisations/<int:organisation_id>/statements")
@token_required
def organisation_statements(organisation_id):
    organisation = access.get_organisation_or_404(organisation_id, g.api_user)
    return _statements(access.organisation_scope(organisation))


@bp.get("/me/statements")
@token_required
def my_statements():
    return _statements(access.self_scope(g.api_user))


def _statements(scope):
    page, per_page = paginate_args()
    base = current_app.config["BASE_URL"]
    return jsonify(page_dict(statements.page(scope, base, page, per_page), statements.count(scope), page, per_page))


@bp.get("/me/progress")
@token_required
@cached_api_page
def my_progress():
    page, per_page = paginate_args()
    offset, now = (page - 1) * per_page, utcnow()
    rows = own.rows(g.api_user, now, limit=per_page, offset=offset)  # queries.rows' rows, read for one person
    items = []
    for r in rows:
        item = row_dict(r, now)
        # The shape /me/progress had before the progress feature, kept for existing clients.
        item.update({"course": r.course_slug, "course_detail": item["course"], "user_email": r.email})
        items.append(item)
    return jsonify(page_dict(items, own.count(g.api_user, rows, per_page, offset), page, per_page))


def _openapi(doc_paths, unauthorized):
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    paging = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
              {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}]
    filtering = [
        {"name": "cohort", "in": "query", "schema": {"type": "integer"}, "description": "a cohort of the organisation"},
        {"name": "course", "in": "query", "schema": {"type": "integer"}, "description": "a course id"},
        {"name": "role", "in": "query", "schema": {"type": "string"}, "description": "a platform role, e.g. learner"},
        {"name": "inactive", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 3650},
         "description": "only people with no activity for this many days"}]
    row = {"type": "object", "properties": {
        "user": {"type": "object"}, "course": {"type": "object"},
        "enrolled_at": {"type": "string", "format": "date-time"},
        "completed_at": {"type": ["string", "null"], "format": "date-time"},
        "modules_completed": {"type": "integer"}, "modules_total": {"type": "integer"},
        "percent": {"type": "integer", "minimum": 0, "maximum": 100},
        "best_score": {"type": ["number", "null"], "description": "mean of the best score of each quiz, 0..1"},
        "final_score": {"type": ["number", "null"]}, "attempts": {"type": "integer"},
        "labs_attended": {"type": "integer"}, "lab_no_shows": {"type": "integer"},
        "upcoming_bookings": {"type": "integer"},
        "last_activity": {"type": ["string", "null"], "format": "date-time"},
        "attention": {"type": "array", "items": {"enum": ["inactive", "failing", "no_show"]}}}}

    def listing(items):
        return {"type": "object", "properties": {"items": {"type": "array", "items": items},
                                                 "total": {"type": "integer"}, "page": {"type": "integer"},
                                                 "per_page": {"type": "integer"}}}

    def ok(description, schema):
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    bad = {"description": "A filter or paging value is not valid", **error}
    limited = {"description": "Too many requests", **error}
    doc_paths["/organisations"] = {"get": {
        "summary": "Organisations: every one for an admin, the caller's own for anyone else", "parameters": paging,
        "responses": {"200": ok("A page of organisations", listing({"type": "object"})), "401": unauthorized,
                      "429": limited}}}
    doc_paths["/organisations/{id}/progress"] = {"get": {
        "summary": "Learner x course progress of an organisation's people (ITS staff of that foundation, "
                   "managers of that company, admins)",
        "parameters": [id_param, *paging, *filtering],
        "responses": {"200": ok("A page of progress rows", listing(row)), "400": bad, "401": unauthorized,
                      "404": {"description": "No such organisation or cohort, or not one the caller may see",
                              **error}, "429": limited}}}
    doc_paths["/organisations/{id}/statements"] = {"get": {
        "summary": "xAPI 1.0.3 statements (completed; passed/failed with score) of the organisation's people, "
                   "oldest first, ready for a learning record store",
        "parameters": [id_param, *paging],
        "responses": {"200": ok("A page of xAPI statements", listing({"type": "object"})), "401": unauthorized,
                      "404": {"description": "No such organisation, or not one the caller may see", **error},
                      "429": limited}}}
    doc_paths["/me/statements"] = {"get": {
        "summary": "The caller's own xAPI statements", "parameters": paging,
        "responses": {"200": ok("A page of xAPI statements", listing({"type": "object"})), "401": unauthorized,
                      "429": limited}}}
    doc_paths["/me/progress"] = {"get": {
        "summary": "The caller's enrolments with progress, scores, lab attendance and last activity",
        "parameters": paging,
        "responses": {"200": ok("A page of progress rows", listing(row)), "401": unauthorized, "429": limited}}}


paths.REGISTRY.append(_openapi)
