"""The time zones a person can choose: Europe's, then the rest of the IANA database."""
from zoneinfo import available_timezones


def _choices():
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    europe = [z for z in zones if z.startswith("Europe/")]
    return [(z, z.replace("_", " ")) for z in europe + [z for z in zones if z not in europe]]


TIMEZONE_CHOICES = _choices()
TIMEZONES = {z for z, _ in TIMEZONE_CHOICES}
