"""Writing Moodle's GIFT format: :func:`dump` gives text that :func:`lms.quizzes.gift.parse` reads back as
equal questions (the reading side and the format's rules are described in ``reader.py``)."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from lms.quizzes.gift.text import _CATEGORY, _FORMAT_RE
from lms.quizzes.questions import Question

__all__ = ["dump"]

_ESCAPES = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{",
                          "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""})


def _escape(text: str) -> str:
    """Moodle's repchar(): control characters escaped, newlines written as ``\\n``."""
    return text.translate(_ESCAPES)


def dump(questions: Iterable[Question], with_categories: bool = True) -> str:
    """GIFT text for ``questions``, which :func:`parse` reads back as equal questions.

    Writes ``$CATEGORY:`` whenever the category changes (unless ``with_categories`` is False).
    Raises ValueError for what GIFT cannot express: going back to no category after one, a
    matching question side containing ``->``, an idnumber or tag with control characters.
    """
    blocks, current = [], None
    for question in questions:
        if with_categories and question.category != current:
            if question.category is None:
                raise ValueError(f"{question.name!r} has no category but follows category {current!r}")
            current = question.category
            blocks.append(f"{_CATEGORY} {_write_category(current)}\n")
        blocks.append(_write_question(question))
    return "\n".join(blocks)


def _write_category(path: str) -> str:
    # Moodle writes the path as it is; escape it only when a backslash or newline requires it.
    return _escape(path) if "\\" in path or "\n" in path else path


def _format_tag(text: str, fmt: str, default: str, force: bool = False) -> str:
    """``[fmt]`` when a non-empty ``text`` has a format other than ``default``, or when the text
    itself starts like a tag (or ``force``) so that parse() cannot misread it; else "".
    As in Moodle, an empty text gets no tag (parse() gives it the question's format)."""
    return f"[{fmt}]" if force or (text and fmt != default) or _FORMAT_RE.match(text) else ""


def _write_text(text: str, fmt: str, default: str, force: bool = False) -> str:
    """``text`` escaped, after its format tag if it needs one."""
    return _format_tag(text, fmt, default, force) + _escape(text)


def _write_feedback(text: str, fmt: str, default: str) -> str:
    return "#" + _write_text(text, fmt, default) if text else ""


def _write_general_feedback(question: Question, indent: str) -> str:
    if not question.general_feedback:
        return ""
    text = _write_text(question.general_feedback, question.general_feedback_format, question.text_format)
    return f"{indent}####{text}" + ("\n" if indent else "")


def _percent(fraction: float) -> str:
    """A fraction as GIFT's weight: 0.5 -> "50", exactly, so that parse() gets the same float."""
    return format((Decimal(repr(float(fraction))) * 100).normalize(), "f")


def _write_number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"GIFT cannot write the number {value!r}")
    text = repr(float(value))
    return text.removesuffix(".0")


# What Moodle's [id:...] and [tag:...] patterns cannot read back (a final backslash would escape "]").
_META_UNWRITABLE = {"id": re.compile(r"[\x00-\x1f\x7f\[]|\\$"), "tag": re.compile(r"[\x00-\x1f\x7f<>`]|\\$")}


def _write_meta(question: Question) -> str:
    """The ``[id:...] [tag:...]`` of the question's comment line, or "" when there is nothing to write."""
    bits = [("id", question.idnumber)] if question.idnumber else []
    bits += [("tag", tag) for tag in question.tags if tag.strip()]
    for kind, value in bits:
        if _META_UNWRITABLE[kind].search(value):
            raise ValueError(f"GIFT cannot write the {kind} {value!r}")
    return " ".join(f"[{kind}:" + value.replace("]", "\\]") + "]" for kind, value in bits)


def _write_question(question: Question) -> str:
    meta = _write_meta(question)
    writer = _WRITERS.get(question.qtype)
    block = writer(question) if writer else ""
    # The question's own format is written even for an empty text: its answers inherit it.
    tag = _format_tag(question.text, question.text_format, "moodle", force=question.text_format != "moodle")
    if question.blank is None:
        body = tag + _escape(question.text) + block
    else:
        # A missing word must not end with its block; an escaped newline is trimmed away on reading.
        body = tag + _escape(question.text_before) + block + (_escape(question.text_after) or "\\n")
    head = f"// {meta}\n" if meta else ""
    return f"{head}::{_escape(question.name)}::{body}\n"


def _write_multichoice(question: Question) -> str:
    lines = ["{"]
    for a in question.answers:
        starts_like_weight = a.text.startswith("%")
        if question.single and a.fraction == 1:
            mark = "="
        elif a.fraction == 0 and not starts_like_weight:
            mark = "~"
        else:
            mark = f"~%{_percent(a.fraction)}%"
        text = _write_text(a.text, a.text_format, question.text_format, force=mark == "=" and starts_like_weight)
        lines.append(f"\t{mark}{text}{_write_feedback(a.feedback, a.feedback_format, question.text_format)}")
    return "\n".join(lines) + "\n" + _write_general_feedback(question, "\t") + "}"


def _write_truefalse(question: Question) -> str:
    fmt = question.text_format
    true_fb = (question.feedback_true, question.feedback_true_format)
    false_fb = (question.feedback_false, question.feedback_false_format)
    right, wrong = (true_fb, false_fb) if question.correct else (false_fb, true_fb)
    has_right, has_wrong = bool(right[0]), bool(wrong[0])
    out = "TRUE" if question.correct else "FALSE"
    if has_wrong or has_right:
        out += "#" + (_write_text(*wrong, fmt) if has_wrong else "")
    if has_right:
        out += "#" + _write_text(*right, fmt)
    return "{" + out + _write_general_feedback(question, "") + "}"


def _write_shortanswer(question: Question) -> str:
    fmt = question.text_format
    lines = [f"\t=%{_percent(a.fraction)}%{_write_text(a.text, fmt, fmt)}"
             f"{_write_feedback(a.feedback, a.feedback_format, fmt)}" for a in question.answers]
    return "{\n" + "".join(line + "\n" for line in lines) + _write_general_feedback(question, "\t") + "}"


def _write_numerical(question: Question) -> str:
    fmt, lines = question.text_format, []
    for i, a in enumerate(question.answers):
        feedback = _write_feedback(a.feedback, a.feedback_format, fmt)
        if a.value is None and a.fraction == 0 and i == len(question.answers) - 1:
            lines.append(f"\t~{feedback}")  # Moodle's form for "any other number"
        elif a.value is None:
            lines.append(f"\t=%{_percent(a.fraction)}%*{feedback}")
        else:
            spec = f"{_write_number(a.value)}:{_write_number(a.tolerance)}"
            lines.append(f"\t=%{_percent(a.fraction)}%{spec}{feedback}")
    return "{#\n" + "".join(line + "\n" for line in lines) + _write_general_feedback(question, "\t") + "}"


def _write_match(question: Question) -> str:
    lines = []
    for a in question.answers:
        if "->" in a.text:
            raise ValueError(f"GIFT cannot write a matching question side containing '->': {a.text!r}")
        lines.append(f"\t={_write_text(a.text, a.text_format, question.text_format)} -> {_escape(a.match_text)}")
    return "{\n" + "".join(line + "\n" for line in lines) + _write_general_feedback(question, "\t") + "}"


def _write_essay(question: Question) -> str:
    return "{" + _write_general_feedback(question, "") + "}"


_WRITERS: dict[str, Callable[[Question], str]] = {
    "multichoice": _write_multichoice, "truefalse": _write_truefalse, "shortanswer": _write_shortanswer,
    "numerical": _write_numerical, "match": _write_match, "essay": _write_essay,
}
