"""The lexical layer of the GIFT reader: escapes, blank-line blocks, file lines, and the small text
pieces (``[format]``, ``%weight%``, ``#feedback``, ``[id:]``/``[tag:]``) that :mod:`lms.quizzes.gift.reader` assembles
into questions. See reader.py for the format's rules."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise

_WS = " \t\n\r\0\x0b"  # PHP's trim() set: Moodle trims with it, not with Unicode spaces

_ESCAPABLE = ":#={}~n"

_MASK = {ch: chr(0xFDD0 + i) for i, ch in enumerate(_ESCAPABLE)}

_UNMASK = str.maketrans({m: ("\n" if ch == "n" else ch) for ch, m in _MASK.items()})

_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")

_NONCHAR_RE = re.compile("[\ufdd0-\ufdef]")

_FORMAT_RE = re.compile(r"\[(moodle|html|plain|markdown)\]")

_WEIGHT_RE = re.compile(r"%(-?(?:\d+(?:\.\d*)?|\.\d+))%")

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_ID_RE = re.compile(r"\[id:((?:\\\]|[^\[\]\x00-\x1f\x7f])+)\]")

_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")

_HTML_TAG_RE = re.compile(r"<[^>]*>")

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

_CATEGORY = "$CATEGORY:"

def _trim(text: str) -> str:
    return text.strip(_WS)

def _mask(line: str) -> str:
    """``line`` with its escapes replaced: ``\\\\`` by a backslash, ``\\x`` by x's placeholder."""
    return _ESCAPE_RE.sub(lambda m: "\\" if m.group(1) == "\\" else _MASK[m.group(1)], line)

def _unmask(text: str) -> str:
    return text.translate(_UNMASK)

class _Source:
    """The masked text of one question (its non-comment lines joined by newlines), able to tell
    the file line of any offset."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self._starts: list[int] = []
        self._numbers = [number for number, _ in lines]
        parts, offset = [], 0
        for _, line in lines:
            masked = _mask(line)
            self._starts.append(offset)
            parts.append(masked)
            offset += len(masked) + 1
        self.text = "\n".join(parts)

    @property
    def first_line(self) -> int:
        return self._numbers[0]

    def line(self, offset: int) -> int:
        return self._numbers[max(0, bisect_right(self._starts, offset) - 1)]

def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """The file's blank-line separated blocks, as (line number, trimmed line) lists."""
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        line = _trim(raw)
        if line:
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block

def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's ``[id:...]`` (the first) and ``[tag:...]`` (all) in a question's comments."""
    found = _ID_RE.search(comments)
    idnumber = _trim(found.group(1).replace("\\]", "]")) if found else ""
    tags = [_trim(raw.replace("\\]", "]")) for raw in _TAG_RE.findall(comments)]
    return idnumber, [tag for tag in tags if tag]

def _text_with_format(raw: str, default: str) -> tuple[str, str]:
    """(text, format) of a GIFT text: a leading ``[format]`` wins over ``default``."""
    found = _FORMAT_RE.match(raw)
    if found:
        default, raw = found.group(1), raw[found.end():]
    return _trim(_unmask(raw)), default

def _split_marks(body: str, offset: int, marks: str) -> list[tuple[str, int]]:
    """``body`` cut before each of ``marks``, as (piece, file offset); each piece keeps its mark.
    Text before the first mark is a piece too unless blank, as in Moodle."""
    cuts = [i for i, ch in enumerate(body) if ch in marks]
    bounds = [0, *cuts, len(body)]
    pieces = [(body[a:b], offset + a) for a, b in pairwise(bounds)]
    if pieces and not _trim(pieces[0][0]):
        pieces.pop(0)
    return pieces

def _unpack(piece: str, offset: int, marks: str) -> tuple[str, str, int]:
    """(mark or "", trimmed rest, file offset of the rest) of a piece from _split_marks."""
    mark = piece[0] if piece[0] in marks else ""
    rest = piece[len(mark):]
    return mark, _trim(rest), offset + len(mark) + len(rest) - len(rest.lstrip(_WS))

def _weight(rest: str, default: float) -> tuple[float, str]:
    """A leading ``%50%`` as a fraction (0.5), and the rest of the text."""
    found = _WEIGHT_RE.match(rest)
    if not found:
        return default, rest
    # Decimal keeps "%33.3%" exactly 0.333, so dump() writes back the same weight.
    return float(Decimal(found.group(1)) / 100), rest[found.end():]

def _split_feedback(rest: str) -> tuple[str, str | None]:
    """(answer, feedback or None) around the first ``#``."""
    answer, hash_, feedback = rest.partition("#")
    return _trim(answer), (_trim(feedback) if hash_ else None)

def _shorten(text: str, size: int) -> str:
    """``text`` cut to ``size`` characters at a word boundary, with "..." (Moodle's shorten_text)."""
    if len(text) <= size:
        return text
    cut = text[:size - 3]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip() + "..."

def default_name(text: str) -> str:
    """Moodle's name for an unnamed question: its text without tags, shortened to 80 characters."""
    return _shorten(" ".join(_HTML_TAG_RE.sub(" ", text).split()), 80) or "Question name"
