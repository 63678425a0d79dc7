"""API v1: a company's maturity assessments (latest result and history); scores only, never a person's answers."""
from flask import g, jsonify

from lms.api import paths
from lms.api.auth import paginate_args, token_required
from lms.api.serializers import page_dict
from lms.api.views import bp
from lms.assessment import access, presenting, rounds
from lms.assessment.questionnaire import questionnaire


@bp.get("/organisations/<int:organisation_id>/assessments")
@token_required
def organisation_assessments(organisation_id):
    """Admins, the company's managers, ITS staff of the company or of a centre it shares its name with; else 404."""
    company = access.get_company_or_404(organisation_id, g.api_user)
    page, per_page = paginate_args()
    history = [a for a in rounds.versions_of(company) if a.submitted]
    items = [presenting.result_dict(a, questionnaire()) for a in history[(page - 1) * per_page: page * per_page]]
    body = page_dict(items, len(history), page, per_page)
    body["organisation"] = {"id": company.id, "name": company.name}
    body["latest"] = presenting.result_dict(history[0], questionnaire()) if history else None
    return jsonify(body)


def _openapi(doc_paths, unauthorized):
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    dimension = {"type": "object", "properties": {
        "slug": {"type": "string"}, "score": {"type": ["number", "null"], "minimum": 0, "maximum": 5},
        "low": {"type": ["number", "null"]}, "high": {"type": ["number", "null"]},
        "spread": {"type": ["number", "null"], "description": "highest minus lowest person; null for one person"},
        "respondents": {"type": "integer"}, "dont_know": {"type": "integer"}}}
    result = {"type": "object", "properties": {
        "id": {"type": "integer"}, "version": {"type": "integer"}, "round": {"type": "integer"},
        "mode": {"type": "string", "enum": ["individual", "team"]}, "questionnaire_version": {"type": "integer"},
        "is_current": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"},
        "submitted_at": {"type": ["string", "null"], "format": "date-time"},
        "participants": {"type": "integer"}, "respondents": {"type": "integer"},
        "overall": {"type": ["number", "null"]}, "stage": {"type": ["integer", "null"], "minimum": 0, "maximum": 5},
        "stage_name": {"type": ["string", "null"]}, "dimensions": {"type": "array", "items": dimension}}}
    doc_paths["/organisations/{id}/assessments"] = {"get": {
        "summary": "A company's digital-maturity results: the latest and every version with submitted answers, "
                   "newest first (admin, the company's managers, ITS staff of the company or of a centre it "
                   "shares its results with by name)",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
        "responses": {
            "200": {"description": "Latest result and history", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "organisation": {"type": "object", "properties": {"id": {"type": "integer"},
                                                                       "name": {"type": "string"}}},
                    "latest": {"oneOf": [result, {"type": "null"}]},
                    "items": {"type": "array", "items": result}, "total": {"type": "integer"},
                    "page": {"type": "integer"}, "per_page": {"type": "integer"}}}}}},
            "401": unauthorized,
            "404": {"description": "No such company, or not one whose results the caller may see", **error},
            "429": {"description": "Too many requests", **error}}}}


paths.REGISTRY.append(_openapi)
