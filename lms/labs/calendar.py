"""The month and week grids of the sessions calendar, in a given time zone (plain functions)."""
import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from lms.extensions import db
from lms.labs.models import Lab, LabSession
from lms.labs.times import zone


@dataclass
class Day:
    day: date
    in_range: bool  # False for the days of the previous/next month that fill the month grid's weeks
    sessions: list = field(default_factory=list)


def utc_bounds(first: date, last: date, tz_name: str) -> tuple[datetime, datetime]:
    tz = zone(tz_name)
    return (datetime.combine(first, time(), tzinfo=tz), datetime.combine(last + timedelta(days=1), time(), tzinfo=tz))


def find_sessions(start: datetime, end: datetime, *, lab_slug: str = "", topic: str = "",
                  include_cancelled: bool = True) -> list[LabSession]:
    """Sessions overlapping [start, end), soonest first, filtered by lab and a topic/title substring."""
    query = select(LabSession).where(LabSession.starts_at < end, LabSession.ends_at > start)
    if lab_slug:
        query = query.join(Lab).where(Lab.slug == lab_slug)
    if topic:
        like = f"%{topic.lower()}%"
        query = query.where(db.func.lower(LabSession.topic).like(like) | db.func.lower(LabSession.title).like(like))
    if not include_cancelled:
        query = query.where(LabSession.cancelled_at.is_(None))
    return list(db.session.scalars(query.order_by(LabSession.starts_at, LabSession.id)))


def _place(days: list[Day], sessions, tz_name: str) -> list[Day]:
    tz = zone(tz_name)
    by_day = {d.day: d for d in days}
    for session in sessions:
        local = session.starts_at.astimezone(tz).date()
        if local in by_day:
            by_day[local].sessions.append(session)
    return days


def month_grid(year: int, month: int, sessions, tz_name: str) -> list[list[Day]]:
    """Weeks (Monday first) covering the month; each day with the sessions starting on it, local time."""
    weeks = _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = [Day(d, d.month == month) for week in weeks for d in week]
    _place(days, sessions, tz_name)
    return [days[i:i + 7] for i in range(0, len(days), 7)]


def week_days(any_day: date, sessions, tz_name: str) -> list[Day]:
    monday = any_day - timedelta(days=any_day.weekday())
    return _place([Day(monday + timedelta(days=i), True) for i in range(7)], sessions, tz_name)


def month_span(year: int, month: int) -> tuple[date, date]:
    weeks = _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return weeks[0][0], weeks[-1][-1]
