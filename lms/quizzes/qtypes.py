"""Question types: how each qtype validates, grades and shows itself to a learner.

``QUESTION_TYPES`` maps a qtype name to a small stateless object (CTFd-style registry) with:

- ``validate(question) -> list[str]``: Moodle's rules for a well-formed question of that type;
- ``grade(question, response) -> Grade``: turns the learner's JSON-friendly response into a grade;
- ``public(question, rng) -> dict``: the type-specific part of what the learner's page may see
  before submitting (see ``questions.public_view``); never fractions, feedback or right answers.

This module only reads attributes of ``QuestionData``/``Answer`` (defined in ``question_data.py``), so it
does not import that module at run time and there is no import cycle.

Responses, per qtype (``None`` always means "not answered" and scores 0):

=============  ===============================================================
multichoice    single: an answer index (int); several: a list of indices
truefalse      bool
shortanswer    str
numerical      str or number; "3,14" reads as 3.14 (a lone comma is decimal)
match          {stem_index: choice_index} (keys may be strings, as JSON makes them)
essay          str (graded by a teacher)
description    ignored (not graded)
=============  ===============================================================

A response of the wrong shape (a string for a choice index, an index out of range...) raises
``InvalidResponse`` (a ValueError): it cannot come from the quiz page, so the app should answer 400.
"""
from __future__ import annotations

import math
import random
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from lms.quizzes.question_data import Answer, QuestionData

# Moodle counts a fraction above 0.999999 as "right" (question_state::graded_state_for_fraction).
FULL_MARK = 0.999999

NOT_A_NUMBER = "This is not a number: type digits, with a point or a comma for decimals (3.14 or 3,14)."


class InvalidResponse(ValueError):
    """A response whose shape does not fit the question (bad index, wrong JSON type)."""


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one response.

    ``fraction`` is the share of the question's mark, always within [0, 1]. ``feedback`` holds the
    feedback of the answers the learner chose (empty texts left out), ``feedback_formats`` their
    text formats, index by index; the question's general feedback is not included (the app shows it
    to everyone). ``correct`` is True only for a full mark. ``needs_manual`` marks an essay waiting
    for a teacher; ``invalid_response`` a numerical response that could not be read as a number.
    """

    fraction: float
    feedback: list[str] = field(default_factory=list)
    correct: bool = False
    needs_manual: bool = False
    feedback_formats: list[str] = field(default_factory=list)
    invalid_response: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy."""
        return asdict(self)


def clamp(fraction: float) -> float:
    """``fraction`` limited to [0, 1]; NaN counts as 0."""
    value = float(fraction)
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def _graded(fraction: float, chosen: list[Answer]) -> Grade:
    """The grade for a clamped ``fraction``, with the feedback of the ``chosen`` answers."""
    value = clamp(fraction)
    shown = [a for a in chosen if a.feedback]
    return Grade(value, [a.feedback for a in shown], value > FULL_MARK,
                 feedback_formats=[a.feedback_format for a in shown])


def _index(value: object, size: int, what: str) -> int:
    """``value`` as an index in ``range(size)``; accepts ints and digit strings (JSON keys)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    # bool is an int in Python, but True is no answer index.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise InvalidResponse(f"{what} {value!r} is not an index between 0 and {size - 1}")
    return value


def _ordered(items: list[dict[str, Any]], rng: random.Random | None) -> list[dict[str, Any]]:
    """``items`` shuffled with ``rng``, or as they are when there is no ``rng``."""
    items = list(items)
    if rng is not None:
        rng.shuffle(items)
    return items


def _fraction_errors(answers: list[Answer], low: float, high: float) -> list[str]:
    """One message per answer whose fraction lies outside [low, high]."""
    return [f"weight {a.fraction * 100:g}% is outside {low * 100:g}%..{high * 100:g}%"
            for a in answers if not low <= a.fraction <= high]


def _full_mark_errors(answers: list[Answer]) -> list[str]:
    """Moodle's 'fractionsnomax': one answer must be worth 100%, or no one can get full marks."""
    best = max((a.fraction for a in answers), default=0.0)
    if abs(best - 1.0) > 1e-9:
        return [f"one answer must be worth 100% (the best is worth {best * 100:g}%)"]
    return []


def wildcard_match(pattern: str, response: str, ignore_case: bool = True) -> bool:
    """Moodle's short-answer comparison: ``*`` matches any text, ``\\*`` a literal asterisk.

    Both sides are NFC-normalised and the response is trimmed; the whole response must match.
    """
    bits = re.split(r"(?<!\\)\*+", unicodedata.normalize("NFC", pattern))
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, unicodedata.normalize("NFC", response.strip()), flags) is not None


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
# Thousands separators are accepted only in well-formed groups of three digits.
_IT_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")   # 1.234.567,8 (Italian)
_EN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")   # 1,234,567.8 (English)


def parse_number(raw: object) -> float | None:
    """A learner's number, or None when it is not one.

    Accepts ints/floats and strings such as "3.14", "3,14", "-2", "1e3", "1.234,5", "1,234.5".
    A single comma is always the decimal separator (Italian users write "3,14"), so "1,234" is
    1.234; several commas or dots in groups of three digits are thousands separators.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace("\u2212", "-")  # U+2212 is the typographic minus sign
    if _IT_GROUPED.fullmatch(text) and (text.count(".") > 1 or "," in text):
        text = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.fullmatch(text) and (text.count(",") > 1 or "." in text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER_RE.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


class QuestionType:
    """Base of the registry entries; a subclass overrides what its qtype needs."""

    name: ClassVar[str] = ""
    gradable: ClassVar[bool] = True  # False: no mark at all (descriptions)

    def validate(self, question: QuestionData) -> list[str]:
        """Problems that make ``question`` unusable, as messages; [] when it is fine."""
        return []

    def grade(self, question: QuestionData, response: Any) -> Grade:
        """Grade ``response``; raises InvalidResponse when its shape is wrong."""
        return Grade(0.0)

    def public(self, question: QuestionData, rng: random.Random | None) -> dict[str, Any]:
        """Type-specific keys of the learner's view (must not reveal any right answer)."""
        return {}


class MultiChoice(QuestionType):
    """Radio buttons (``single``) or checkboxes; negative weights punish wrong ticks."""

    name = "multichoice"

    def validate(self, question: QuestionData) -> list[str]:
        answers = question.answers
        if len(answers) < 2:
            return [f"multiple choice needs at least 2 answers, found {len(answers)}"]
        errors = ["an answer has no text" for a in answers if not a.text]
        errors += _fraction_errors(answers, -1.0, 1.0)
        if question.single:
            errors += _full_mark_errors(answers)
        else:
            # Moodle's 'fractionsaddwrong': ticking every right answer must give exactly 100%.
            total = round(sum(a.fraction for a in answers if a.fraction > 0), 2)
            if total != 1:
                errors.append("with several right answers (no '=') the positive weights must add "
                              f"up to 100%, not {total * 100:g}%")
        return errors

    def grade(self, question: QuestionData, response: Any) -> Grade:
        answers = question.answers
        if response is None or response == []:
            return Grade(0.0)
        if question.single:
            chosen = answers[_index(response, len(answers), "choice")]
            return _graded(chosen.fraction, [chosen])
        if not isinstance(response, list | tuple):
            raise InvalidResponse("expected a list of choice indices")
        picked = sorted({_index(r, len(answers), "choice") for r in response})
        return _graded(sum(answers[i].fraction for i in picked), [answers[i] for i in picked])

    def public(self, question: QuestionData, rng: random.Random | None) -> dict[str, Any]:
        choices = [{"index": i, "text": a.text, "format": a.text_format}
                   for i, a in enumerate(question.answers)]
        return {"single": question.single, "choices": _ordered(choices, rng)}


class TrueFalse(QuestionType):
    """``correct`` is the right answer; the learner sees the feedback of the answer given."""

    name = "truefalse"

    def validate(self, question: QuestionData) -> list[str]:
        return [] if isinstance(question.correct, bool) else ["the right answer must be true or false"]

    def grade(self, question: QuestionData, response: Any) -> Grade:
        if response is None:
            return Grade(0.0)
        if not isinstance(response, bool):
            raise InvalidResponse("expected true or false")
        right = response == question.correct
        text, fmt = ((question.feedback_true, question.feedback_true_format) if response
                     else (question.feedback_false, question.feedback_false_format))
        return Grade(1.0 if right else 0.0, [text] if text else [], right,
                     feedback_formats=[fmt] if text else [])


class ShortAnswer(QuestionType):
    """Typed text compared, case-insensitively, with each accepted answer in turn (first wins)."""

    name = "shortanswer"

    def validate(self, question: QuestionData) -> list[str]:
        answers = question.answers
        if not answers:
            return ["a short-answer question needs at least one accepted answer"]
        errors = ["an accepted answer is empty" for a in answers if not a.text.strip()]
        return errors + _fraction_errors(answers, 0.0, 1.0) + _full_mark_errors(answers)

    def grade(self, question: QuestionData, response: Any) -> Grade:
        if response is None:
            return Grade(0.0)
        if not isinstance(response, str):
            raise InvalidResponse("expected a text")
        if not response.strip():
            return Grade(0.0)
        for answer in question.answers:
            if wildcard_match(answer.text, response):
                return _graded(answer.fraction, [answer])
        return Grade(0.0)


class Numerical(QuestionType):
    """A number within ``value ± tolerance`` of an answer (first match wins; ``value=None`` is
    Moodle's ``*``, matching any number)."""

    name = "numerical"

    def validate(self, question: QuestionData) -> list[str]:
        answers = question.answers
        if not any(a.value is not None for a in answers):
            return ["a numerical question needs at least one number"]
        errors = [f"answer {a.value!r}:{a.tolerance!r} is not a finite number and tolerance >= 0"
                  for a in answers if a.value is not None
                  and not (math.isfinite(a.value) and math.isfinite(a.tolerance) and a.tolerance >= 0)]
        return errors + _fraction_errors(answers, 0.0, 1.0) + _full_mark_errors(answers)

    def grade(self, question: QuestionData, response: Any) -> Grade:
        if response is None or (isinstance(response, str) and not response.strip()):
            return Grade(0.0)
        if not isinstance(response, str | int | float):
            raise InvalidResponse("expected a number or a text")
        number = parse_number(response)
        if number is None:
            return Grade(0.0, [NOT_A_NUMBER], feedback_formats=["plain"], invalid_response=True)
        for answer in question.answers:
            if answer.value is None or _within(number, answer.value, answer.tolerance):
                return _graded(answer.fraction, [answer])
        return Grade(0.0)


def _within(number: float, value: float, tolerance: float) -> bool:
    """True when ``number`` lies in value ± tolerance, forgiving float rounding (3.1415 vs 3.1414999...)."""
    slack = 1e-12 * max(1.0, abs(value))
    return abs(number - value) <= abs(tolerance) + slack


def match_stems(question: QuestionData) -> list[Answer]:
    """The pairs with a left side (the 'questions' a learner matches), in file order."""
    return [a for a in question.answers if a.text]


def match_choices(question: QuestionData) -> list[str]:
    """The distinct right sides, sorted: an index into this list says nothing about the pairing
    (in file order, stem i would simply match choice i)."""
    return sorted({a.match_text for a in question.answers if a.match_text}, key=lambda t: (t.casefold(), t))


class Match(QuestionType):
    """Stems matched to choices; pairs with an empty left side only add wrong choices."""

    name = "match"

    def validate(self, question: QuestionData) -> list[str]:
        errors = [f"'{a.text[:40]}' has no answer to match" for a in question.answers
                  if a.text and not a.match_text]
        errors += ["a pair is empty on both sides" for a in question.answers
                   if not a.text and not a.match_text]
        stems, entries = len(match_stems(question)), len(question.answers)
        if stems < 2 or entries < 3:  # Moodle's 'notenoughqsandas'
            errors.append(f"matching needs at least 2 questions and 3 answers (found {stems} and "
                          f"{entries}); add a wrong answer with an empty question: '= -> answer'")
        return errors

    def grade(self, question: QuestionData, response: Any) -> Grade:
        stems, choices = match_stems(question), match_choices(question)
        if response is None:
            response = {}
        if not isinstance(response, dict):
            raise InvalidResponse("expected an object {question index: choice index}")
        given = {_index(k, len(stems), "question"): _index(v, len(choices), "choice")
                 for k, v in response.items() if v is not None}
        right = sum(1 for i, stem in enumerate(stems) if given.get(i) == choices.index(stem.match_text))
        return _graded(right / len(stems) if stems else 0.0, [])

    def public(self, question: QuestionData, rng: random.Random | None) -> dict[str, Any]:
        stems = [{"index": i, "text": a.text, "format": a.text_format}
                 for i, a in enumerate(match_stems(question))]
        choices = [{"index": j, "text": t, "format": "plain"} for j, t in enumerate(match_choices(question))]
        return {"stems": _ordered(stems, rng), "choices": _ordered(choices, rng)}


class Essay(QuestionType):
    """Free text, graded by a teacher: fraction 0 and ``needs_manual`` until then."""

    name = "essay"

    def validate(self, question: QuestionData) -> list[str]:
        return ["an essay has no answers"] if question.answers else []

    def grade(self, question: QuestionData, response: Any) -> Grade:
        if response is None:
            return Grade(0.0)
        if not isinstance(response, str):
            raise InvalidResponse("expected a text")
        # A blank essay has nothing to mark: it is simply unanswered.
        return Grade(0.0, needs_manual=bool(response.strip()))


class Description(QuestionType):
    """Text between questions: no answers, no mark."""

    name = "description"
    gradable = False

    def validate(self, question: QuestionData) -> list[str]:
        errors = ["a description has no answers"] if question.answers else []
        return errors + (["a description has no blank"] if question.blank is not None else [])


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (MultiChoice(), TrueFalse(), ShortAnswer(), Numerical(), Match(), Essay(), Description())
}
