"""Bearer-token authentication for the API."""
from functools import wraps

from flask import g, request

from lms.auth.accounts import user_for_api_token
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import json_error


def token_required(view):
    """Require `Authorization: Bearer <token>`; the user is in g.api_user. Any failure is a 401 JSON error."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        user = user_for_api_token(token.strip(), utcnow()) if scheme.lower() == "bearer" else None
        if user is None:
            response = json_error(401, "unauthorized", "A valid API token is required: Authorization: Bearer <token>.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="lms"'
            return response
        db.session.commit()  # last_used_at
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


def paginate_args(default_per_page=50):
    """(page, per_page) from the query string, within the contract's bounds."""
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(1000, max(1, int(request.args.get("per_page", default_per_page))))
    except ValueError:
        page, per_page = 1, default_per_page
    return page, per_page
