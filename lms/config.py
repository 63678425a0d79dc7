"""Configuration: defaults here, then instance/config.py, then LMS_* environment variables.

The environment wins so that an operator can change a deployment without editing files.
"""
import os
import secrets
from pathlib import Path

DEFAULTS = {
    # No pool_pre_ping: a connection the server ended is replaced at checkout without a round trip (lms.dbtypes).
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "TIMEZONE": "Europe/Rome",
    "LANGUAGES": ["it", "en"],
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Rome",
    "BASE_URL": "",  # empty: http://127.0.0.1:5000, or the port `lms run --port` serves on
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_TLS": False,
    "MAIL_FROM": "Officina 4.0 <no-reply@officina.example>",
    "REMINDER_OFFSETS": "24h,2h",
    "SCHEDULER_INTERVAL": 30,
    "OUTBOX_LEASE_SECONDS": 60,  # a row claimed by a process that died is sent by another after this
    # After a commit, the web process sends the mail it queued: "thread" (after the response is under way),
    # "inline" (before it; tests), or "off" (the scheduler sends everything).
    "MAIL_IMMEDIATE": "thread",
    "REDIS_URL": "",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "BOOTSTRAP_SERVE_LOCAL": True,
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a form left open over lunch still posts
    "RESET_TOKEN_HOURS": 2,
    "INVITE_TOKEN_DAYS": 14,
    "LOGIN_RATE_LIMIT": "10 per minute;60 per hour",
    "CSV_MAX_BYTES": 1024 * 1024,
    "CSV_MAX_ROWS": 5000,
    "PENDING_HOURS": 2,  # how long an uploaded CSV waits for its confirmation
    "UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    "COURSES_DIR": None,  # default: <project>/courses
    "LABS_DIR": None,  # default: <project>/labs
    "LOG_FORMAT": "text",  # or "json": one object per line, for a log collector
    "LOG_LEVEL": "INFO",
    "PROXY_FIX": 0,  # how many proxies (nginx) stand in front: their X-Forwarded-* headers are trusted
    "PAGE_CACHE": True,  # reading pages kept whole per person while nothing they show changes (lms/pagecache.py)
    "PAGE_CACHE_MB": 64,  # per worker process
}


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# LMS_<NAME> environment variables and how to read them.
_ENV = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "BASE_URL": ("BASE_URL", str),
    "TIMEZONE": ("TIMEZONE", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USER": ("SMTP_USER", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_TLS": ("SMTP_TLS", _flag),
    "MAIL_FROM": ("MAIL_FROM", str),
    "REMINDER_OFFSETS": ("REMINDER_OFFSETS", str),
    "SCHEDULER_INTERVAL": ("SCHEDULER_INTERVAL", int),
    "REDIS_URL": ("REDIS_URL", str),
    "MAIL_IMMEDIATE": ("MAIL_IMMEDIATE", str),
    "OUTBOX_LEASE_SECONDS": ("OUTBOX_LEASE_SECONDS", int),
    "COURSES_DIR": ("COURSES_DIR", str),
    "LABS_DIR": ("LABS_DIR", str),
    "LOG_FORMAT": ("LOG_FORMAT", str),
    "LOG_LEVEL": ("LOG_LEVEL", str),
    "PROXY_FIX": ("PROXY_FIX", int),
    "PAGE_CACHE": ("PAGE_CACHE", _flag),
    "PAGE_CACHE_MB": ("PAGE_CACHE_MB", int),
}

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def load(app, test_config=None):
    """Fill app.config; `test_config` (a dict) replaces files and environment entirely."""
    app.config.update(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for name, (key, convert) in _ENV.items():
            value = os.environ.get(f"LMS_{name}")
            if value:
                app.config[key] = convert(value)
    else:
        app.config.update(test_config)
        if app.config.get("TESTING") and "MAIL_IMMEDIATE" not in test_config:
            app.config["MAIL_IMMEDIATE"] = "inline"  # a test reads the mail its request sent
        if app.config.get("TESTING") and "LOG_LEVEL" not in test_config:
            app.config["LOG_LEVEL"] = "WARNING"  # no access line per request in the test run's output

    # Links follow the development server's port unless an operator named the address (lms/commands.py: run).
    app.config["BASE_URL_IS_EXPLICIT"] = bool(app.config["BASE_URL"])
    app.config["BASE_URL"] = app.config["BASE_URL"] or DEFAULT_BASE_URL

    instance = Path(app.instance_path)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{instance / 'lms.sqlite3'}")
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    app.config["COURSES_DIR"] = app.config["COURSES_DIR"] or str(PROJECT_ROOT / "courses")
    app.config["LABS_DIR"] = app.config["LABS_DIR"] or str(PROJECT_ROOT / "labs")
    app.config.setdefault("OUTBOX_DIR", str(instance / "outbox"))
    app.config.setdefault("UPLOAD_DIR", str(instance / "uploads"))
    app.config.setdefault("PENDING_DIR", str(instance / "pending"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite writers wait for each other instead of failing at once with "database is locked".
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(instance)
    app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https://")
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]


def instance_secret_key(instance: Path) -> str:
    """Read instance/secret_key, creating it once with a random key (mode 600).

    O_EXCL makes concurrent first starts of several workers agree on one key.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip()
