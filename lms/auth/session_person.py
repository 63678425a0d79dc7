"""Who a session cookie names, read without loading them.

Flask-Login keeps "<id>:<session key>" in the session; lms.auth.views.load_user checks the key and that the
account is active, in the statement that loads the person with their roles. A request that needs only to know
who asks checks the same in a statement it makes anyway (the page cache's key, an autosave's row lock) and
skips the load.
"""
from flask import request

# Where such a request leaves the id it checked, for the access log (which never loads anyone itself).
CHECKED_USER = "lms.checked_user"


def session_ident(value: str | None) -> tuple[int, str] | None:
    """(person id, session key) from ``value``, the session's "_user_id", or None when it names nobody: missing,
    or not an id and a key (an id too long for the database's integers included)."""
    ident, _sep, key = (value or "").partition(":")
    if not ident.isdigit() or len(ident) > 18 or not key:
        return None
    return int(ident), key


def checked(user_id: int) -> None:
    """Record that this request checked the session of ``user_id`` without loading them."""
    request.environ[CHECKED_USER] = user_id
