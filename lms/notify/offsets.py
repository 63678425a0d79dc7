"""Reminder offsets as people write them ("24h,2h", "1d, 30m"): plain functions, no Flask."""
import re
from datetime import timedelta

_PART = re.compile(r"^\s*(\d{1,4})\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
MAX_OFFSET = timedelta(days=30)


class OffsetError(ValueError):
    """The text is not a list of offsets; the message says which part and why."""


def parse_offsets(text: str) -> list[tuple[str, timedelta]]:
    """[("24h", 24 hours), ("2h", 2 hours)], longest first, without repeats. An empty text: no reminders."""
    found: dict[timedelta, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        match = _PART.match(part.lower())
        if not match:
            raise OffsetError(f"'{part.strip()[:20]}' is not an offset: write a number and d, h or m, e.g. 24h or 30m")
        delta = timedelta(**{_UNITS[match[2]]: int(match[1])})
        if not timedelta(minutes=1) <= delta <= MAX_OFFSET:
            raise OffsetError(f"'{part.strip()}' must be between 1 minute and 30 days")
        found.setdefault(delta, f"{match[1]}{match[2]}")
    return sorted(((label, delta) for delta, label in found.items()), key=lambda pair: pair[1], reverse=True)
