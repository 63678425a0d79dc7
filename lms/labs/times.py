"""Turning what a person typed (a local date and time) into the UTC instants the models store."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime as babel_datetime
from flask_babel import lazy_gettext as _l

from lms.labs.errors import LabError


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Rome")


def local_to_utc(day: date, clock: time, tz_name: str, field: str | None = None) -> datetime:
    """`day` at `clock` in `tz_name`, as UTC.

    :raise LabError: the time does not exist there (the hour skipped when clocks go forward). An hour that
        happens twice (clocks go back) is taken the first time, as calendars do.
    """
    tz = zone(tz_name)
    local = datetime.combine(day, clock, tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise LabError(str(_l(
            "%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward at that hour. Choose another time.",
            time=clock.strftime("%H:%M"), date=day.isoformat(), zone=tz.key)), field=field)
    return local.astimezone(UTC)


def parse_iso(value, field: str) -> datetime:
    """An ISO 8601 date-time with an offset (the API's format), as UTC.

    :raise LabError: not a string, not a date-time, or without an offset (ambiguous).
    """
    if not isinstance(value, str) or len(value) > 64:
        raise LabError(str(_l("%(field)s must be an ISO 8601 date-time with an offset, e.g. 2027-03-01T09:00:00+01:00.",
                              field=field)), field=field)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise LabError(str(_l("%(field)s is not a valid date-time: %(value)s", field=field, value=value[:40])),
                       field=field) from None
    if parsed.tzinfo is None:
        raise LabError(str(_l("%(field)s needs an offset (e.g. +01:00 or Z), otherwise the time is ambiguous.",
                              field=field)), field=field)
    return parsed.astimezone(UTC)


def when_text(session, language: str, tz_name: str) -> str:
    tz = zone(tz_name)
    start = babel_datetime(session.starts_at, "EEEE d MMMM y, HH:mm", tzinfo=tz, locale=language)
    end = babel_datetime(session.ends_at, "HH:mm", tzinfo=tz, locale=language)
    return f"{start}–{end} ({tz.key})"
