"""Security headers, error pages and how a page tells a refusal, the same for every blueprint."""
from flask import Response, abort, flash, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from lms.extensions import db

# No inline script anywhere: every script is a file under /static. Inline styles are refused too, so
# sanitised user content cannot restyle the page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def attachment(data: bytes, filename: str, mimetype: str, cache_control: str | None = None) -> Response:
    """A download: `data` that the browser saves as `filename` (a name the app made: no quotes in it)."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if cache_control:
        headers["Cache-Control"] = cache_control
    return Response(data, mimetype=mimetype, headers=headers)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def flash_refusal(reason: Exception | str, category: str = "danger") -> None:
    """Tell the person why a rule refused their request, and drop what the request had changed: the redirect or
    page that follows is a success, which the unit of work (lms.unit_of_work) would otherwise commit. ``reason``
    is the rule's exception, or a message that wraps it."""
    db.session.rollback()
    flash(str(reason), category)


def refuse_nul_characters():
    """No text the app stores or searches may hold U+0000 (PostgreSQL refuses it in text columns): a request
    carrying one in its query or form fields is a 400 with a clear message, in its path a 404, on every
    database alike."""
    if "\x00" in request.path:
        abort(404)  # no page has such an address
    # Most requests have neither a NUL in the query string (raw or %00, the only ways to write one there) nor a
    # body: they skip parsing what cannot hold one (Werkzeug parses a form only when a Content-Type is sent).
    query = request.query_string
    checked = [request.args] if b"%00" in query or b"\x00" in query else []
    if request.environ.get("CONTENT_TYPE"):
        checked.append(request.form)
    for values in checked:
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, description=_("The request contains a NUL character, which no text here may hold."))


def init_app(app):
    app.before_request(refuse_nul_characters)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(exc):
        """A value the database cannot hold (a number past its integer range, say) that a view let through:
        the request is wrong, not the server. Logged, so that the view gets its own check."""
        db.session.rollback()
        app.logger.warning("Refused a value the database cannot hold on %s: %s", request.path, exc)
        return http_error(BadRequest(_("A value in the request is out of range or not valid here.")))

    @app.after_request
    def security_headers(response):
        # Each one unless the view set its own: one pass over the headers set so far (a setdefault per header
        # searched them, raising and catching KeyError, once per header).
        present = {key.lower() for key, _value in response.headers}
        for key, value in SECURITY_HEADERS:
            if key.lower() not in present:
                response.headers.add(key, value)
        if app.config["SESSION_COOKIE_SECURE"] and "strict-transport-security" not in present:
            response.headers.add("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if wants_json():
            return json_error(exc.code, exc.name.lower().replace(" ", "_"), exc.description)
        template = f"errors/{exc.code}.html" if exc.code in (403, 404, 500) else "errors/generic.html"
        return render_template(template, error=exc), exc.code
