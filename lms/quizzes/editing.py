"""Questions edited in forms: a form's plain values <-> a :class:`Question`, with every problem named.

The trainer's forms (lms.quizzes.forms) hand over their values as a plain dict; :func:`question_from_values`
turns them into a Question, or says what is wrong field by field, and then runs questions.validate() — so a
saved question is always one the grader and the GIFT writer accept. :func:`values_from_question` gives the
values that show a stored question in its form again: opening a question and saving it unchanged gives an
equal question (same content hash, so its statistics stay with it).

The values (strings as typed; numbers and weights accept "50", "50%", "3,14", "-0.5"):

- every kind: ``name``, ``text``, ``text_format``, ``general_feedback``, ``general_feedback_format``
  ("" = the text's format), ``tags`` (comma-separated), ``idnumber``;
- multichoice: ``single`` ("one" | "several"), ``answers`` [{text, weight, feedback, text_format,
  feedback_format}];
- truefalse: ``correct`` ("true" | "false"), ``feedback_true``, ``feedback_false`` (+ ``_format``);
- shortanswer: ``answers`` [{text, weight, feedback, feedback_format}];
- numerical: ``answers`` [{any_number, value, tolerance, low, high, weight, feedback, feedback_format}];
- match: ``answers`` [{text, match_text, text_format}] (an empty ``text`` adds a wrong choice).

A row's own ``text_format``/``feedback_format`` is "" unless an imported question gave that text a format of
its own: "" follows the question's format, so the one select on the form changes them all.
Empty answer rows (no text, no feedback, no number) are ignored; the forms always offer a few.
A missing-word question is a multichoice, shortanswer or numerical one whose text marks the blank with
three or more underscores (``___``); it is stored as Moodle does (``_____`` at ``Question.blank``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.quizzes.gift import default_name  # Moodle's name for an unnamed question
from lms.quizzes.questions import BLANK, FORMATS, Answer, Question, parse_number, validate

MARKER = re.compile(r"_{3,}")
ANSWER_QTYPES = ("multichoice", "shortanswer", "numerical", "match")
MAX_NAME = 255


@dataclass(frozen=True)
class Kind:
    """What a trainer picks in "add a question": a qtype, maybe as a missing-word sentence."""

    key: str
    qtype: str
    missing_word: bool = False


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("multichoice", "multichoice"), Kind("truefalse", "truefalse"), Kind("shortanswer", "shortanswer"),
    Kind("numerical", "numerical"), Kind("match", "match"),
    Kind("missingword", "multichoice", True), Kind("missingword-text", "shortanswer", True),
    Kind("missingword-number", "numerical", True),
    Kind("essay", "essay"), Kind("description", "description"),
)}


def kind_of(question: Question) -> Kind:
    """The form that edits ``question``."""
    if question.is_missing_word:
        return next(k for k in KINDS.values() if k.missing_word and k.qtype == question.qtype)
    return KINDS[question.qtype]


@dataclass
class EditResult:
    """``question`` when the values make a valid question, else None. ``errors`` maps a field name
    (``text``, ``answers-2-weight``...) to its messages; ``problems`` are the question-wide ones
    (questions.validate() and anything not tied to one field)."""

    question: Question | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.question is not None


class _Errors(dict):
    def add(self, name: str, message) -> None:
        self.setdefault(name, []).append(str(message))


def _text(values: dict, key: str) -> str:
    """A text as typed, with Windows line ends made Unix ones (browsers send CRLF)."""
    return str(values.get(key) or "").replace("\r\n", "\n").replace("\r", "\n")


def _number(raw: Any, errors: _Errors, name: str) -> Decimal | None:
    """The number typed in field ``name`` ("" -> None); an error when it is not one."""
    text = str(raw or "").strip().removesuffix("%").strip()
    if not text:
        return None
    value = parse_number(text)
    if value is None:
        errors.add(name, _l("“%(text)s” is not a number.", text=text))
        return None
    # Through the shortest repr, so that 33.33333 stays 33.33333 and not 33.333330000000004.
    return Decimal(repr(value))


def _fraction(row: dict, errors: _Errors, name: str, default: int) -> float:
    weight = _number(row.get("weight"), errors, name)
    return float((default if weight is None else weight) / 100)


def _format(raw: Any, default: str) -> str:
    return raw if raw in FORMATS else default


def number_text(value: float | None) -> str:
    """A stored number as a person types it: 1822.0 -> "1822", 0.0005 -> "0.0005"."""
    if value is None:
        return ""
    return format(Decimal(repr(float(value))).normalize(), "f")


def weight_text(fraction: float) -> str:
    """A fraction as the weight field shows it: 0.5 -> "50"."""
    return format((Decimal(repr(float(fraction))) * 100).normalize(), "f")


def _is_blank(row: dict, keys: tuple[str, ...]) -> bool:
    return not any(str(row.get(k) or "").strip() for k in keys)


def _rows(values: dict) -> list[tuple[int, dict]]:
    return list(enumerate(values.get("answers") or []))


def _text_rows(values, errors, no_text):
    """(index, row, text, feedback) of the answer rows with a text or a feedback; a feedback without a text is
    the error `no_text`."""
    for i, row in _rows(values):
        if _is_blank(row, ("text", "feedback")):
            continue
        text, feedback = _text(row, "text").strip(), _text(row, "feedback").strip()
        if not text:
            errors.add(f"answers-{i}-text", no_text)
        yield i, row, text, feedback


def _choice_answers(values, fmt, errors) -> list[Answer]:
    return [Answer(text=text, fraction=_fraction(row, errors, f"answers-{i}-weight", 0), feedback=feedback,
                   text_format=_format(row.get("text_format"), fmt),
                   feedback_format=_format(row.get("feedback_format"), fmt))
            for i, row, text, feedback in _text_rows(values, errors, _l("Write the answer, or clear its feedback."))]


def _short_answers(values, fmt, errors) -> list[Answer]:
    no_text = _l("Write the accepted answer, or clear its feedback.")
    return [Answer(text=text, fraction=_fraction(row, errors, f"answers-{i}-weight", 100), feedback=feedback,
                   feedback_format=_format(row.get("feedback_format"), fmt))
            for i, row, text, feedback in _text_rows(values, errors, no_text)]


def _numerical_answers(values, fmt, errors) -> list[Answer]:
    answers = []
    for i, row in _rows(values):
        any_number = bool(row.get("any_number"))
        if not any_number and _is_blank(row, ("value", "tolerance", "low", "high", "feedback")):
            continue
        name = f"answers-{i}-"
        value, tolerance = _number(row.get("value"), errors, name + "value"), \
            _number(row.get("tolerance"), errors, name + "tolerance")
        low, high = _number(row.get("low"), errors, name + "low"), _number(row.get("high"), errors, name + "high")
        ranged = low is not None or high is not None
        answer = Answer(fraction=_fraction(row, errors, name + "weight", 100),
                        feedback=_text(row, "feedback").strip(),
                        feedback_format=_format(row.get("feedback_format"), fmt))
        if any_number:
            if value is not None or ranged:
                errors.add(name + "value", _l("“Any other number” takes no number: clear the number or untick it."))
        elif value is not None and ranged:
            errors.add(name + "low", _l("Give a number ± tolerance, or a range, not both."))
        elif ranged:
            if low is None or high is None:
                errors.add(name + ("low" if low is None else "high"), _l("A range needs both ends."))
            elif low > high:
                errors.add(name + "high", _l("The end of the range is smaller than its start."))
            else:
                # Moodle's conversion (as gift.parse does it): the midpoint ± half the width.
                answer.value = (float(low) + float(high)) / 2
                answer.tolerance = float(high) - answer.value
        elif value is None:
            if not any(e.startswith(name) for e in errors):
                errors.add(name + "value", _l("Give the number, a range, or tick “any other number”."))
        else:
            answer.value = float(value)
            answer.tolerance = float(tolerance or 0)
            if answer.tolerance < 0:
                errors.add(name + "tolerance", _l("The tolerance cannot be negative."))
        if tolerance is not None and (ranged or any_number) and value is None:
            errors.add(name + "tolerance", _l("A tolerance goes with a single number."))
        answers.append(answer)
    return answers


def _match_answers(values, fmt, errors) -> list[Answer]:
    answers = []
    for i, row in _rows(values):
        if _is_blank(row, ("text", "match_text")):
            continue
        text, match_text = _text(row, "text").strip(), _text(row, "match_text").strip()
        if text and not match_text:
            errors.add(f"answers-{i}-match_text", _l("Write the answer that matches this question."))
        answers.append(Answer(text=text, match_text=match_text, text_format=_format(row.get("text_format"), fmt)))
    return answers


_ANSWER_BUILDERS = {"multichoice": _choice_answers, "shortanswer": _short_answers,
                    "numerical": _numerical_answers, "match": _match_answers}


def _tags(raw: str) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))


def question_from_values(kind: Kind | str, values: dict, base: Question | None = None) -> EditResult:
    """Build the question a form's ``values`` describe (see the module docstring), or say what is wrong.

    ``base`` is the question being edited: its category (set by a GIFT ``$CATEGORY``, not shown on the
    form) carries over. Nothing is stored here; the caller saves a valid question through lms.quizzes.store.
    """
    kind = KINDS[kind] if isinstance(kind, str) else kind
    errors = _Errors()
    fmt = _format(values.get("text_format"), "")
    if not fmt:
        errors.add("text_format", _l("Choose a text format."))
        fmt = "markdown"
    text = _text(values, "text").strip()
    blank = None
    if not text:
        errors.add("text", _l("Write the sentence with its blank.") if kind.missing_word
                   else _l("Write the question's text."))
    elif kind.missing_word:
        markers = MARKER.findall(text)
        if len(markers) != 1:
            errors.add("text", _l("Mark the one blank with three underscores or more (___); found %(n)d.",
                                  n=len(markers)))
        else:
            before, after = MARKER.split(text)
            text, blank = before + BLANK + after, len(before)
    name = _text(values, "name").strip() or (default_name(text) if text else "")
    if len(name) > MAX_NAME:
        errors.add("name", _l("A name has at most %(n)d characters.", n=MAX_NAME))

    question = Question(
        qtype=kind.qtype, name=name, text=text, text_format=fmt, blank=blank,
        general_feedback=_text(values, "general_feedback").strip(),
        general_feedback_format=_format(values.get("general_feedback_format"), fmt),
        category=base.category if base else None, line=base.line if base else 0,
        idnumber=_text(values, "idnumber").strip(), tags=_tags(_text(values, "tags")),
    )
    if kind.qtype == "multichoice":
        question.single = values.get("single", "one") != "several"
    elif kind.qtype == "truefalse":
        if values.get("correct") not in ("true", "false"):
            errors.add("correct", _l("Choose the right answer: true or false."))
        question.correct = values.get("correct") != "false"
        question.feedback_true = _text(values, "feedback_true").strip()
        question.feedback_false = _text(values, "feedback_false").strip()
        question.feedback_true_format = _format(values.get("feedback_true_format"), fmt)
        question.feedback_false_format = _format(values.get("feedback_false_format"), fmt)
    if kind.qtype in _ANSWER_BUILDERS:
        question.answers = _ANSWER_BUILDERS[kind.qtype](values, fmt, errors)
    if errors:
        return EditResult(None, dict(errors))
    problems = validate(question)
    return EditResult(None if problems else question, {}, problems)


def _own_format(fmt: str, question_format: str) -> str:
    return "" if fmt == question_format else fmt


def values_from_question(question: Question) -> dict[str, Any]:
    """The form values that show ``question``; question_from_values(kind_of(question), them, question)
    gives back an equal question."""
    fmt = question.text_format
    values: dict[str, Any] = {
        "name": question.name, "text": question.text, "text_format": fmt,
        "general_feedback": question.general_feedback,
        "general_feedback_format": _own_format(question.general_feedback_format, fmt),
        "tags": ", ".join(question.tags), "idnumber": question.idnumber,
    }
    qtype = question.qtype
    if qtype == "multichoice":
        values["single"] = "one" if question.single else "several"
        values["answers"] = [{"text": a.text, "weight": weight_text(a.fraction), "feedback": a.feedback,
                              "text_format": _own_format(a.text_format, fmt),
                              "feedback_format": _own_format(a.feedback_format, fmt)} for a in question.answers]
    elif qtype == "truefalse":
        values.update(correct="true" if question.correct else "false",
                      feedback_true=question.feedback_true, feedback_false=question.feedback_false,
                      feedback_true_format=_own_format(question.feedback_true_format, fmt),
                      feedback_false_format=_own_format(question.feedback_false_format, fmt))
    elif qtype == "shortanswer":
        values["answers"] = [{"text": a.text, "weight": weight_text(a.fraction), "feedback": a.feedback,
                              "feedback_format": _own_format(a.feedback_format, fmt)} for a in question.answers]
    elif qtype == "numerical":
        values["answers"] = [{"any_number": a.value is None, "value": number_text(a.value),
                              "tolerance": "" if a.value is None else number_text(a.tolerance),
                              "low": "", "high": "", "weight": weight_text(a.fraction), "feedback": a.feedback,
                              "feedback_format": _own_format(a.feedback_format, fmt)} for a in question.answers]
    elif qtype == "match":
        values["answers"] = [{"text": a.text, "match_text": a.match_text,
                              "text_format": _own_format(a.text_format, fmt)} for a in question.answers]
    return values


def new_values(kind: Kind | str) -> dict[str, Any]:
    """The values of an empty form of ``kind``: Markdown, and sensible first weights."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    values: dict[str, Any] = {"text_format": "markdown", "answers": []}
    if kind.qtype == "multichoice":
        values["single"] = "one"
        values["answers"] = [{"weight": "100"}] + [{"weight": "0"} for _ in range(3)]
    elif kind.qtype == "truefalse":
        values["correct"] = "true"
    elif kind.qtype in ("shortanswer", "numerical"):
        values["answers"] = [{"weight": "100"}]
    return values
