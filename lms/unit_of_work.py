"""One unit of work per request: views change the session, and the request commits once, at its end.

The rule, for every view and the API alike:
- A request that changes data (POST, PUT, PATCH, DELETE) is committed after the view, if its response is a
  success or a redirect (status < 400), and rolled back otherwise: a view never calls commit(). A view that
  needs a new row's id calls flush(); one that expects a constraint to refuse a race flushes inside a
  savepoint (`db.session.begin_nested()`) and answers the refusal itself.
- GET and HEAD are read-only: whatever they change is rolled back, unless the view declared a deliberate,
  cheap write with `write_on_read()` (a module page's "resume here", an API token's last use: each a single
  row, written only when it changes), which is then committed like a POST's.
- Outbox mail queued in the request is part of its transaction (lms.notify.mail): it is sent after this
  commit and never if the request rolls back. Rate-limit counters live on a connection of their own
  (lms.auth.limit_store), so a refused request still counts.
- Work that runs outside a request (CLI commands, the scheduler, a deferred job) commits itself.
"""
from collections.abc import Callable

from flask import request

from lms.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Kept on the request, not on flask.g: tests run many requests in one application context.
_WRITES = "lms.write_on_read"
_AFTER_COMMIT = "lms.after_commit"


def write_on_read() -> None:
    """Let this GET commit what it changed: for a deliberate, cheap write on a page view, never for more."""
    request.environ[_WRITES] = True


def after_commit(action: Callable[[], None]) -> None:
    """Run `action` once the request's changes are committed, never if they roll back: for what the database
    cannot undo, such as deleting a file the committed rows no longer name."""
    request.environ.setdefault(_AFTER_COMMIT, []).append(action)


def _finish(response):
    """Commit the request's changes if it succeeded and may write; roll them back otherwise."""
    writes = request.method not in SAFE_METHODS or request.environ.get(_WRITES, False)
    actions = request.environ.pop(_AFTER_COMMIT, [])
    if writes and response.status_code < 400:
        db.session.commit()  # a failure here is the request's failure: Flask answers 500 and this rolls back
        for action in actions:
            action()
    elif db.session.registry.has():  # a request that never used the database has no session to end
        db.session.rollback()
    return response


def init_app(app):
    # Registered first, so that it runs after every other after_request function (they may still change data).
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
