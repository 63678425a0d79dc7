"""The OpenAPI 3.1 document of API v1; each feature adds its paths here as it lands."""

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                             "required": ["code", "message"]}},
}


def _list_of(ref):
    return {"type": "object", "properties": {
        "items": {"type": "array", "items": {"$ref": ref}},
        "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer", "maximum": 1000},
    }}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# Answers any operation can give, whatever its feature documents: listed on every one of them, so that the
# document names every status a client can meet.
SHARED_RESPONSES = {
    "400": "Bad request: a malformed query parameter (a page past 1,000,000, a NUL character) or, for a body, "
           "`invalid_json` (not valid JSON, nested too deep, not an object)",
    "401": "Missing, wrong or revoked token",
    "429": "Too many requests: slow down",
}


def _add_shared_responses(paths: dict):
    for path, operations in paths.items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in SHARED_RESPONSES.items():
                if path != "/openapi.json" or status != "401":
                    responses.setdefault(status, _error(description))
            if "{" in path:  # an id or slug that names nothing (ids past the database's range included)
                responses.setdefault("404", _error("Not found"))


def openapi_document() -> dict:
    unauthorized = {"description": "Missing, wrong or revoked token",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    paths = {
        "/me": {"get": {"summary": "The token's owner", "responses": {
            "200": {"description": "The user", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
            "401": unauthorized}}},
    }
    from lms.api import paths as feature_paths

    for add in feature_paths.REGISTRY:
        add(paths, unauthorized)
    _add_shared_responses(paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Officina 4.0 API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": ERROR,
                "User": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
                    "roles": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": ["string", "null"]}, "timezone": {"type": "string"},
                    "organisations": {"type": "array", "items": {"type": "object"}},
                    "created_at": {"type": "string", "format": "date-time"}}},
                "CourseList": _list_of("#/components/schemas/Course"),
                "Course": {"type": "object"},
                "LabList": _list_of("#/components/schemas/Lab"),
                "Lab": {"type": "object"},
                "LabSessionList": _list_of("#/components/schemas/LabSession"),
                "LabSession": {"type": "object"},
                "BookingList": _list_of("#/components/schemas/Booking"),
                "Booking": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "session_id": {"type": "integer"},
                    "status": {"enum": ["confirmed", "waitlisted", "cancelled", "attended", "no_show"]},
                    "position": {"type": ["integer", "null"], "description": "In the waitlist; 1 = next in line"}}},
            },
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }
