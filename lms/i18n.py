"""Language and time-zone choice, and the template filters that show dates in the user's zone."""
from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    gettext,
)
from flask_login import current_user


def N_(message: str) -> str:
    """Mark a word that is stored as data and translated where it is shown (`_(role)` in a template),
    so that message extraction finds it. Returns the word unchanged."""
    return message


def select_locale():
    """The user's saved language, else the one picked with the switch, else the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()  # once: each use of the proxy looks the user up again
    if user is not None and user.is_authenticated and user.language in languages:
        return user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    if has_request_context():
        user = current_user._get_current_object()
        if user is not None and user.is_authenticated and user.timezone:
            return user.timezone
    return current_app.config["TIMEZONE"]


def language_next() -> str:
    """Where the language switch returns to: this page, or, for a page shown in answer to a POST at an address
    that has no GET, the page the person came from (else home) instead of a 405."""
    if not has_request_context():
        return "/"
    path = request.full_path if request.query_string else request.path
    if request.method in ("GET", "HEAD"):
        return path
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    try:
        current_app.create_url_adapter(request).match(request.path, method="GET")
    except RequestRedirect:
        return path
    except HTTPException:
        referrer = request.referrer or ""
        host = request.host_url
        return "/" + referrer[len(host):] if referrer.startswith(host) else "/"
    return path


# CLDR writes Italian percentages with no space ("68,8%"); Italian typography (and ISO 80000) puts a
# non-breaking space before the sign, so that is how these languages show a share.
SPACED_PERCENT = frozenset({"it"})


def percent(value, whole=False, digits=1) -> str:
    """A share (0.688, or 68.8 with whole=True) as the locale writes it: "68.8%", "68,8 %"; None is a dash."""
    if value is None:
        return "–"
    share = value / 100 if whole else value
    locale = get_locale()
    pattern = locale.percent_formats[None].pattern
    if locale.language in SPACED_PERCENT and "\u00a0%" not in pattern:
        pattern = pattern.replace("%", "\u00a0%")
    if digits:  # up to `digits` decimals, none when the number is whole
        head, sep, tail = pattern.rpartition("0")
        pattern = f"{head}0.{'#' * digits}{tail}"
    return format_percent(share, pattern)


def number(value, digits=1) -> str:
    """A number with up to `digits` decimals and the locale's separators: "1,234.5", "1.234,5"."""
    if value is None:
        return "–"
    return format_decimal(value, "#,##0" + ("." + "#" * digits if digits else ""))


def moment(value) -> str:
    """A date and time: the date as `|date` writes it (so one page never mixes two date formats), the time short."""
    if not value:
        return ""
    pattern = get_locale().datetime_formats["medium"]
    pattern = getattr(pattern, "pattern", pattern).replace("'", "")
    return pattern.replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))


def duration(minutes) -> str:
    """A length of time, the one way every page writes it: "45 min", "2 h", "2 h 40 min"."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return gettext("%(m)d min", m=rest)
    if not rest:
        return gettext("%(h)d h", h=hours)
    return gettext("%(h)d h %(m)02d min", h=hours, m=rest)


def init_app(app):
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["number"] = number

    from lms.nav import nav_context

    app.context_processor(nav_context)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale, get_timezone

        return {
            "current_language": str(get_locale()),
            # Named so that a page's own `languages` (e.g. the catalogue's filter) cannot hide the switch.
            "interface_languages": app.config["LANGUAGES"],
            "current_timezone": str(get_timezone()),
            "language_next": language_next(),
        }
