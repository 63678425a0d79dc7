"""Bearer-token authentication for the API."""
from functools import wraps

from flask import abort, g, request

from lms import unit_of_work
from lms.auth.accounts import user_for_api_token
from lms.dbtypes import utcnow
from lms.http import json_error
from lms.ids import MAX_PAGE, page_number


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
        # The token's last use (at most once a minute) is the request's one deliberate write even on a GET;
        # it is committed with the request's unit of work, or rolled back with a refused one.
        unit_of_work.write_on_read()
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


def paginate_args(default_per_page=50):
    """(page, per_page) from the query string, within the contract's bounds; a page past MAX_PAGE is a 400
    (it would overflow the database's OFFSET)."""
    page = page_number(request.args.get("page"))
    if page is None:
        abort(400, description=f"page must be a whole number from 1 to {MAX_PAGE}.")
    raw = (request.args.get("per_page") or "").strip()
    per_page = min(1000, max(1, int(raw))) if raw.isascii() and raw.isdigit() and len(raw) <= 7 else default_per_page
    return page, per_page
