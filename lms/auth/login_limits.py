"""Who counts against whose login limit.

Every failed guess at an account counts against the account, keyed on the normalised address, so that
"Lea@EXAMPLE.com" and full-width spellings of the domain share one counter. That lets a stranger lock a
person out by guessing wrong on purpose; so a browser that has signed in to the account before carries a
signed device cookie (set after a successful sign-in, one entry per account) and is counted on a counter of its
own: the person still signs in from their usual browser with the right password while strangers get 429.
"""
import hashlib
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.auth.accounts import AccountError, normalise_email

COOKIE = "lms_device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5  # accounts remembered per browser (a shared office PC)


def account_key(email: str | None) -> str:
    """The address as sign-in reads it; what is not an address at all is counted as typed."""
    try:
        return normalise_email(email or "")
    except AccountError:
        return (email or "").strip().lower()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lms-login-device")


def _account_tag(email: str) -> str:
    # The cookie names accounts by a keyed hash, not by address: a copied cookie reveals no e-mail.
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    return hashlib.sha256(secret + b"\0" + email.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _read_cookie() -> dict:
    value = request.cookies.get(COOKIE)
    if not value:
        return {}
    try:
        data = _serializer().loads(value, max_age=MAX_AGE)
    except BadSignature:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("accounts"), list) else {}


def known_device(email: str) -> str | None:
    """This browser's device id if it has signed in to the account `email` (normalised) before, else None."""
    data = _read_cookie()
    if email and _account_tag(email) in data.get("accounts", []):
        return str(data.get("device", ""))[:32] or None
    return None


def rate_key() -> str:
    """Flask-Limiter key of the per-account login limit for the current request."""
    email = account_key(request.form.get("email"))
    device = known_device(email)
    return f"login:{email}" if device is None else f"login-device:{device}:{email}"


def remember_device(response, email: str):
    """Add the account to this browser's signed device cookie (after a successful sign-in)."""
    data = _read_cookie()
    tag = _account_tag(account_key(email))
    accounts = [t for t in data.get("accounts", []) if t != tag][-(MAX_ACCOUNTS - 1):] + [tag]
    value = _serializer().dumps({"device": data.get("device") or secrets.token_urlsafe(12), "accounts": accounts})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, path="/login", httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
