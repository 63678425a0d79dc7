"""Plain-dict views of models for the API: ids are integers, times ISO 8601 with offset."""


def iso(value):
    return value.isoformat() if value else None


def user_dict(user):
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": sorted(user.roles),
        "language": user.language,
        "timezone": user.timezone,
        "organisations": [
            {"id": m.organisation.id, "name": m.organisation.name, "kind": m.organisation.kind, "role": m.role}
            for m in getattr(user, "memberships", [])
        ],
        "created_at": iso(user.created_at),
    }


def page_dict(items, total, page, per_page):
    return {"items": items, "total": total, "page": page, "per_page": per_page}
