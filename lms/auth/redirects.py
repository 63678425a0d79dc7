"""Where to send a person after a form: only back into this site. The one function every redirect built
from request data (`?next=`, a form's `back`) goes through."""
from urllib.parse import unquote, urlsplit


def _is_local_path(target: str) -> bool:
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return False
    target = target.strip()
    if "\\" in target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks browsers read as `//`, and control
    characters (browsers drop a tab in "/\\t/evil.com" and go to //evil.com), also once percent-decoded, so
    that a proxy or a second decoding cannot turn "/%09/evil.com" into the same thing.
    """
    if not target or not _is_local_path(target) or not _is_local_path(unquote(target)):
        return default
    return target.strip()
