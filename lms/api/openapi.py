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
