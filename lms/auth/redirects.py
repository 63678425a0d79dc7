"""Where to send a person after signing in: only back into this site."""
from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks browsers read as `//`, and
    control characters, so a forged `?next=` cannot send anyone to another site.
    """
    if not target or any(ord(c) < 32 for c in target):
        return default
    target = target.strip()
    if "\\" in target or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
