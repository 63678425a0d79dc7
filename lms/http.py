"""Security headers and error pages, the same for every blueprint."""
from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

# No inline script anywhere: every script is a file under /static. Inline styles are refused too, so
# sanitised user content cannot restyle the page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def init_app(app):
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if wants_json():
            return json_error(exc.code, exc.name.lower().replace(" ", "_"), exc.description)
        template = f"errors/{exc.code}.html" if exc.code in (403, 404, 500) else "errors/generic.html"
        return render_template(template, error=exc), exc.code
