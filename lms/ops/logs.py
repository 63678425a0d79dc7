"""Request ids and log lines: every request gets an id (a sane incoming X-Request-ID, else a new one), echoed
in the response; every log line written during the request carries it; one access line per request.

LMS_LOG_FORMAT=json writes one JSON object per line (for a log collector); the default is text, for a
terminal. Lines go to standard error, where gunicorn, systemd's journal or a container runtime collect them.
"""
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

access_log = logging.getLogger("lms.access")

# What an incoming id may look like: nginx's $request_id, a UUID, a tracing id. Anything else (too long,
# spaces, quotes, newlines that would forge log lines) is replaced, not echoed.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")
# Path segments that are secrets (reset and invitation links, calendar feeds) are not written to the logs.
_SECRET_ARGS = ("token",)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "remote_addr")
ACCESS_LINE = "%s %s %s %.1fms user=%s"


def request_id_from(header: str | None) -> str:
    """The incoming id when it is a sane token, else a new random one."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str:
    return g.get("request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Puts the request id on every record that passes the handler (from any logger)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in _ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time, like logging's last resort (a test runner swaps it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def make_handler(log_format: str, stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    handler.lms_handler = True  # so that a second create_app replaces it instead of adding another
    return handler


def configure(log_format: str = "text", level: str = "INFO", stream=None):
    """One handler on the root logger (every library's lines get the format and the id); the platform's own
    loggers at `level`. Idempotent: the last call wins."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "lms_handler", False)]:
        root.removeHandler(old)
    root.addHandler(make_handler(log_format, stream))
    for name in ("lms", "lms.access", "lms.scheduler"):
        # Alembic's logging set-up (lms db upgrade in the same process) disables loggers it does not name.
        logging.getLogger(name).disabled = False
    logging.getLogger("lms").setLevel(level.upper())
    # werkzeug keeps its level: under `lms run --debug` it prints the debugger PIN at INFO.


def init_app(app):
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # First of the before_request functions, so that anything they log carries the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _start():
    g.request_id = request_id_from(request.headers.get("X-Request-ID"))
    g.request_started = time.perf_counter()


def _logged_path() -> str:
    path = request.path
    for name in _SECRET_ARGS:
        value = (request.view_args or {}).get(name)
        if isinstance(value, str) and value:
            path = path.replace(value, "[redacted]")
    return path


def _user_id():
    # Only a user this request already loaded: looking one up here would cost a query on every static file.
    # A request that checked who asked without loading them (a page from the page cache, an autosave) left their
    # id here (lms.auth.session_person.CHECKED_USER).
    if (checked := request.environ.get("lms.checked_user")) is not None:
        return checked
    user = g.get("api_user") or g.get("_login_user")
    return user.id if user is not None and getattr(user, "is_authenticated", False) else None


def _finish(response):
    state = g._get_current_object()  # once: each use of the proxy looks the context up again
    if "request_id" not in state:  # a request that failed before the first before_request function
        _start()
    response.headers["X-Request-ID"] = state.request_id
    if not access_log.isEnabledFor(logging.INFO):
        return response
    duration = round((time.perf_counter() - state.request_started) * 1000, 1)
    fields = {"method": request.method, "path": _logged_path(), "status": response.status_code,
              "duration_ms": duration, "user_id": _user_id(), "remote_addr": request.remote_addr}
    args = (fields["method"], fields["path"], fields["status"], duration,
            fields["user_id"] if fields["user_id"] is not None else "-")
    # The record goes to the handlers as access_log.info would send it, without first walking the stack for
    # the calling file and line, which neither format writes, and with its request id (RequestIdFilter's
    # lookup would find the same).
    access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, ACCESS_LINE, args, None,
                                            extra={**fields, "request_id": state.request_id}))
    return response
