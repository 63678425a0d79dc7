"""Reading pages kept whole, per person, and served again while nothing they show has changed.

A view marked `@cached_page` (the module and course pages, the catalogue and its search, "My learning") is
rendered once per key, and the key holds everything such a page can depend on, so an entry never has to be
found and removed — a change makes a new key and the old entry ages out of the LRU:

- the address: path, query string, host and script root;
- who: the person's id, their saved language and time zone, the language picked with the switch and the
  browser's Accept-Language (what lms.i18n.select_locale and select_timezone choose from);
- their own stamp (`users.cache_stamp`) and the site's (`cache_revision.stamp`), which database triggers move in
  the same transaction as any change a page could show (lms/cachestamps.py);
- the minute: a page showing "upcoming" sessions or a quiz's opening hours is never more than a minute behind
  the clock, and deadlines set to the minute are exact.

The key costs one statement, which also checks what Flask-Login's user load checks (the account exists, is
active, and the session's key is current): a hit loads no user and renders nothing. What a hit must not reuse is
left out: a page is only kept when it answered 200 without setting a cookie, and a request with flashed messages
waiting is never served from or kept in the cache (they are shown once). The CSRF token in a kept page is
replaced by a fresh one for the session asking. Each worker process keeps its own entries, up to
LMS_PAGE_CACHE_MB; LMS_PAGE_CACHE=0 turns the cache off.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from lms import cachestamps, dbtypes
from lms.auth.accounts import LAST_USED_PRECISION
from lms.auth.models import hash_token
from lms.auth.session_person import checked, session_ident
from lms.extensions import db

# On the request's environ (tests run many requests in one app context, so not on flask.g): the key a miss will
# keep its page under; that the page came from the cache; and, for the access log, whose it was (lms.ops.logs).
_KEY, _USER = "lms.page_cache_key", "lms.page_cache_user"
# The CSRF token's place in a kept page. NUL never appears in a page (lms.http refuses it in requests and no
# template writes one), so it cannot be mistaken for text.
_TOKEN_SLOT = b"\x00csrf\x00"
_KEPT_HEADERS = ("Content-Type", "Vary", "Cache-Control", "Content-Language", "Link")


def cached_page(view):
    """Mark a GET view whose page may be kept per person (see the module docstring for what the key holds)."""
    view.page_cache = "session"
    return view


def cached_api_page(view):
    """Mark an API GET whose answer may be kept per token (the caller is the bearer token's owner, as
    lms.api.auth.token_required decides). Served again only while the token's "last used" is fresh to the
    minute, so that a hit never skips the write the token check would have made."""
    view.page_cache = "token"
    return view


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple
    has_token: bool

    def response(self) -> Response:
        body = self.body.replace(_TOKEN_SLOT, generate_csrf().encode()) if self.has_token else self.body
        return Response(body, status=200, headers=list(self.headers))


class Store:
    """Least recently used entries first out, within a budget of bytes. Shared by a process's threads."""

    def __init__(self, budget: int):
        self.budget, self.size = budget, 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    @staticmethod
    def cost(entry: Entry) -> int:
        return len(entry.body) + 200  # the body, and a rough allowance for the key and headers

    def put(self, key, entry: Entry) -> None:
        if self.cost(entry) > self.budget:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.size += self.cost(entry) - (self.cost(old) if old is not None else 0)
            self.entries[key] = entry
            while self.size > self.budget:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= self.cost(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


def _token_person():
    """(token id, owner's language, owner's stamp), the site's stamp and the owner's id, or None when the token
    check must run (no such token, revoked, owner inactive, or its last use due to be written)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = db.session.execute(cachestamps.STAMP_OF_TOKEN, {"hash": hash_token(token.strip())}).first()
    if (row is None or row.revoked_at is not None or not row.is_active or row.last_used_at is None
            or dbtypes.utcnow() - row.last_used_at >= LAST_USED_PRECISION):
        return None
    return ("token", row.id, row.language, row.timezone, row.cache_stamp), row.stamp, row.user_id


def page_key(by="session"):
    """The key of this request's page, or None when it must not come from the cache or go into it."""
    if "_flashes" in session:
        return None
    if by == "token":
        found = _token_person()
        if found is None:
            return None
        person, site, request.environ[_USER] = found
        # The language may still follow a session cookie sent along (lms.i18n.select_locale).
        person += (session.get("_user_id"),)
    elif (ident := session.get("_user_id")) is None:
        if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
            return None  # Flask-Login signs this visitor in from the cookie: let it
        person = (None, None, None, None)
        site = db.session.execute(cachestamps.STAMP).scalar()
    else:
        if (parsed := session_ident(ident)) is None:
            return None
        user_id, session_key = parsed
        row = db.session.execute(cachestamps.STAMP_OF_PERSON, {"id": user_id}).first()
        if row is None or not row.is_active or row.session_key != session_key:
            return None  # the normal path signs this session out
        person, site = (user_id, row.language, row.timezone, row.cache_stamp), row.stamp
        request.environ[_USER] = person[0]
    minute = int(dbtypes.utcnow().timestamp()) // 60
    return (request.path, request.query_string, request.host, request.script_root, person,
            session.get("language"), request.headers.get("Accept-Language", ""), site, minute)


def _serve():
    if request.method != "GET" or not current_app.config["PAGE_CACHE"]:
        return None
    by = getattr(current_app.view_functions.get(request.endpoint), "page_cache", None)
    if by is None:
        return None
    key = page_key(by)
    if key is None:
        return None
    entry = current_app.extensions["lms_page_cache"].get(key)
    if entry is not None:
        if (person := request.environ.pop(_USER, None)) is not None:
            checked(person)  # the key's statement checked their session: the access log names them
        return entry.response()
    request.environ.pop(_USER, None)  # the view loads the person itself: the access log names them as usual
    request.environ[_KEY] = key
    return None


def _keep(response):
    key = request.environ.pop(_KEY, None)
    if (key is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or "_flashes" in session):
        return response
    body = response.get_data()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    has_token = bool(token) and token.encode() in body
    if has_token:
        body = body.replace(token.encode(), _TOKEN_SLOT)
    headers = tuple((name, value) for name, value in response.headers.items() if name in _KEPT_HEADERS)
    current_app.extensions["lms_page_cache"].put(key, Entry(body, headers, has_token))
    return response


def init_app(app):
    app.config.setdefault("PAGE_CACHE", True)
    app.config.setdefault("PAGE_CACHE_MB", 64)
    app.extensions["lms_page_cache"] = Store(int(app.config["PAGE_CACHE_MB"]) * 1024 * 1024)
    # Last of the before_request functions (after the request id, the NUL check and the rate limits) and first
    # of the after_request ones (the page is kept before the security headers and the request id are added:
    # those are added again to each response served from the cache).
    app.before_request(_serve)
    app.after_request(_keep)
