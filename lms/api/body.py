"""Reading a JSON request body: one rule for every JSON endpoint.

A body that is not valid JSON (broken, too deeply nested, not UTF-8) or not a JSON object is a 400
`invalid_json`, before anything is read from it or changed. An empty body is an empty object.
"""
import json

from flask import abort, request

from lms.http import json_error

MAX_DEPTH = 32  # deeper than any request of the API: refused before the parser recurses


def _too_deep(raw: bytes) -> bool:
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def invalid_json(message: str):
    abort(json_error(400, "invalid_json", message))


def json_object() -> dict:
    """The request's JSON object, {} for an empty body; otherwise aborts with 400 invalid_json."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if _too_deep(raw):
        invalid_json(f"The body is nested more than {MAX_DEPTH} levels deep.")
    try:
        body = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        invalid_json("The body is not valid JSON.")
    if not isinstance(body, dict):
        invalid_json("The body must be a JSON object.")
    if _contains_nul(body):
        invalid_json("The body contains a NUL character, which no text here may hold.")
    return body
