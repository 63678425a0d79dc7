"""Reading Moodle's GIFT format: :func:`parse` turns text into :class:`Question` objects (``writer.py``
writes them back; ``text.py`` holds the lexical layer both share).

The reference is Moodle's ``question/format/gift/format.php`` and its tests; this module reads a
file the way Moodle's importer does:

- Questions are separated by blank lines; every line is trimmed. Lines starting with ``//`` are
  comments (whole lines only); ``[id:...]`` and ``[tag:...]`` in them give the idnumber and tags.
- ``$CATEGORY: path`` sets the category of the questions that follow.
- ``::name::`` names a question; without it the name is the start of the text.
- ``[html]``, ``[moodle]``, ``[plain]``, ``[markdown]`` at the start of a text set its format; the
  question text defaults to "moodle" and every other text (answers, feedback) to the question's.
- The answer block is the first ``{...}``; no block makes a description, ``{}`` an essay. If text
  follows the block, the question is a "missing word" one: the text is before + ``_____`` + after.
- The type comes from the block, as Moodle decides it: ``#...`` numerical; any ``~`` multichoice
  (single when there is an ``=``); ``=`` and ``->`` match; T/TRUE/F/FALSE truefalse; else shortanswer.
- Escapes: ``\\~ \\= \\# \\{ \\} \\:`` give the character, ``\\n`` a newline, ``\\\\`` a backslash;
  any other backslash stays as it is (so LaTeX such as ``\\(x\\)`` survives).

Escaped characters are hidden as Unicode noncharacters while the structure is parsed (Moodle uses
"&&058;"-style placeholders, which a literal "&&058;" in a text would break).

Where Moodle silently imports nonsense, this parser reports an error instead: a second answer block
or stray brace after the first (usually a missing blank line between questions), a ``{`` inside a
block, ``=%50%`` in a multiple-choice block (Moodle keeps "%50%" as answer text at 100%), a
non-numeric numerical answer (Moodle turns it into "*"), a range whose min exceeds its max, a
negative tolerance, a weight outside -100..100 (0..100 for short answers and numbers). It also
applies the rules Moodle enforces when saving (at least 2 choices; one 100% answer, or positive
weights adding up to 100%; matching with at least 2 questions and 3 answers), but accepts weights
outside Moodle's fixed grade list (such as 33%).
A ``$CATEGORY:`` line followed without a blank line by a question sets the category and reads the
question (Moodle would make the question part of the category's name). An empty feedback or
matching stem takes the question's format (Moodle writes none for it either).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from lms.quizzes.gift.text import (
    _CATEGORY,
    _FORMAT_RE,
    _NONCHAR_RE,
    _NUMBER_RE,
    _TRUE_FALSE,
    _WEIGHT_RE,
    _WS,
    _blocks,
    _id_and_tags,
    _mask,
    _shorten,
    _Source,
    _split_feedback,
    _split_marks,
    _text_with_format,
    _trim,
    _unmask,
    _unpack,
    _weight,
    default_name,
)
from lms.quizzes.questions import BLANK, Answer, Question, validate

__all__ = ["GiftError", "parse"]


class GiftError(ValueError):
    """GIFT text with problems. ``errors`` lists every one as ``"path:line: message"``, in file
    order; ``questions`` holds the questions that parsed cleanly (useful for a preview)."""

    def __init__(self, errors: list[str], questions: list[Question] | None = None) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)
        self.questions = list(questions or [])


def parse(text: str, path: str = "<string>") -> list[Question]:
    """Parse GIFT ``text`` (from the file at ``path``, used in messages) into questions.

    Reads every question, then raises :class:`GiftError` listing all problems if there were any:
    syntax (unbalanced braces, a matching pair without ``->``, a bad number...) and Moodle's rules
    for each type (at least 2 choices, a 100% answer, 2 questions and 3 answers to match...).
    """
    reader = _Reader(path)
    for block in _blocks(text):
        reader.read_block(block)
    if reader.errors:
        raise GiftError(reader.errors, reader.questions)
    return reader.questions


@dataclass
class _Reader:
    """Parsing state across a file: the current category and what has been found."""

    path: str
    category: str | None = None
    errors: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.path}:{line}: {message}")

    def read_block(self, block: list[tuple[int, str]]) -> None:
        comments = "\n".join(line for _, line in block if line.startswith("//"))
        lines = [(number, line) for number, line in block if not line.startswith("//")]
        bad = next((number for number, line in lines if _NONCHAR_RE.search(line)), None)
        if bad is not None:
            self.error(bad, "the text contains a Unicode noncharacter (U+FDD0..U+FDEF)")
            return
        if lines and lines[0][1].startswith(_CATEGORY):
            self._read_category(*lines[0])
            # Moodle would swallow the following lines into the category's name; we read them
            # as the question the author obviously meant.
            lines = lines[1:]
        if lines:
            self._read_question(_Source(lines), comments)

    def _read_category(self, number: int, line: str) -> None:
        path = _trim(_unmask(_mask(line)[len(_CATEGORY):]))
        if path:
            self.category = path
        else:
            self.error(number, f"{_CATEGORY} needs a category path")

    def _read_question(self, source: _Source, comments: str) -> None:
        before = len(self.errors)
        question = _QuestionReader(self, source).read()
        if question is None or len(self.errors) > before:
            return
        question.category = self.category
        question.idnumber, question.tags = _id_and_tags(comments)
        problems = validate(question)
        for problem in problems:
            self.error(question.line, problem)
        if not problems:
            self.questions.append(question)


class _QuestionReader:
    """Reads one question from its masked source; reports problems to the _Reader."""

    def __init__(self, reader: _Reader, source: _Source) -> None:
        self.reader, self.source, self.text = reader, source, source.text
        self.format = "moodle"

    def error(self, offset: int, message: str) -> None:
        self.reader.error(self.source.line(offset), message)

    def part(self, raw: str | None) -> tuple[str, str]:
        """(text, format) of a feedback or matching stem. An empty one takes the question's
        format: its own would be meaningless, and Moodle's exporter does not write it either."""
        text, fmt = ("", self.format) if raw is None else _text_with_format(raw, self.format)
        return text, (fmt if text else self.format)

    def read(self) -> Question | None:
        name, start = self._name()
        start += len(self.text[start:]) - len(self.text[start:].lstrip(_WS))
        block = self._block(start)
        if block is False:
            return None
        question = Question("description", line=self.source.first_line)
        inner = None
        if block is None:
            raw, blank = self.text[start:], None
        else:
            opening, closing = block
            before, after = self.text[start:opening], self.text[closing + 1:]
            # Moodle: a block that ends the text follows the question, else it is a missing word.
            raw, blank = (before + BLANK + after, len(before)) if after else (before, None)
            inner = (self.text[opening + 1:closing], opening + 1)
        self._set_text(question, raw, blank)
        if inner is not None:
            self._read_block(question, *inner)
        question.name = name or default_name(question.text)
        return question

    def _name(self) -> tuple[str | None, int]:
        """The ``::name::`` and where the text starts after it."""
        if not self.text.startswith("::"):
            return None, 0
        end = self.text.find("::", 2)
        if end < 0:  # Moodle drops the "::" and names the question after its text
            return None, 2
        return _shorten(_trim(_unmask(self.text[2:end])), 255), end + 2

    def _block(self, start: int) -> tuple[int, int] | None | bool:
        """(offset of "{", offset of "}"), None when there are no braces, False on an error."""
        text = self.text
        opening, closing = text.find("{", start), text.find("}", start)
        if opening < 0 and closing < 0:
            return None
        if closing < 0:
            self.error(opening, "'{' has no matching '}' (write \\{ for a literal brace)")
        elif opening < 0 or closing < opening:
            self.error(closing, "'}' has no matching '{' (write \\} for a literal brace)")
        elif (nested := text.find("{", opening + 1, closing)) >= 0:
            self.error(nested, "'{' inside an answer block (write \\{ for a literal brace)")
        elif (stray := min((i for i in (text.find("{", closing + 1), text.find("}", closing + 1)) if i >= 0),
                           default=-1)) >= 0:
            self.error(stray, "a second answer block or a stray brace after the answers: is a blank "
                              "line missing between two questions? (write \\{ or \\} for a literal brace)")
        else:
            return opening, closing
        return False

    def _set_text(self, question: Question, raw: str, blank: int | None) -> None:
        found = _FORMAT_RE.match(raw)
        self.format = found.group(1) if found else "moodle"
        shift = found.end() if found else 0
        body = _unmask(raw[shift:])
        question.text, question.text_format = _trim(body), self.format
        question.general_feedback_format = self.format
        if blank is not None:  # the blank is no whitespace, so trimming never reaches it
            question.blank = blank - shift - (len(body) - len(body.lstrip(_WS)))

    def _read_block(self, question: Question, inner: str, offset: int) -> None:
        offset += len(inner) - len(inner.lstrip(_WS))
        body = _trim(inner)
        separator = body.rfind("####")
        if separator >= 0:
            question.general_feedback, question.general_feedback_format = self.part(_trim(body[separator + 4:]))
            body = _trim(body[:separator])
        question.qtype = _detect_type(body)
        _BUILDERS[question.qtype](self, question, body, offset)

    def multichoice(self, question: Question, body: str, offset: int) -> None:
        question.single = "=" in body  # Moodle: no "=" means several right answers (checkboxes)
        for piece, at in _split_marks(body, offset, "~="):
            mark, rest, at = _unpack(piece, at, "~=")
            if mark == "=" and _WEIGHT_RE.match(rest):
                self.error(at, "'=' marks the 100% answer: write '~%50%answer' for a partial weight")
                continue
            fraction, rest = (1.0, rest) if mark == "=" else _weight(rest, 0.0)
            answer, feedback = _split_feedback(rest)
            text, text_format = _text_with_format(answer, self.format)
            feedback, feedback_format = self.part(feedback)
            if not text:  # Moodle drops blank choices ("~" left at the end of a block)
                if fraction or feedback:
                    self.error(at, "an answer has a weight or feedback but no text")
                continue
            question.answers.append(Answer(text, fraction, feedback, text_format, feedback_format))

    def truefalse(self, question: Question, body: str, offset: int) -> None:
        word, *feedbacks = body.split("#", 2)
        # Moodle: the first feedback is for a wrong answer, the second for a right one.
        wrong, right = (self.part(None if f is None else _trim(f)) for f in [*feedbacks, None, None][:2])
        question.correct = _TRUE_FALSE[_trim(word)]
        true_fb, false_fb = (right, wrong) if question.correct else (wrong, right)
        question.feedback_true, question.feedback_true_format = true_fb
        question.feedback_false, question.feedback_false_format = false_fb

    def shortanswer(self, question: Question, body: str, offset: int) -> None:
        for piece, at in _split_marks(body, offset, "="):
            _, rest, at = _unpack(piece, at, "=")
            fraction, rest = _weight(rest, 1.0)
            answer, feedback = _split_feedback(rest)
            text, _ = _text_with_format(answer, self.format)  # Moodle keeps only the text
            if not text:
                self.error(at, "an accepted answer is empty")
                continue
            feedback, feedback_format = self.part(feedback)
            question.answers.append(Answer(text, fraction, feedback, feedback_format=feedback_format))

    def numerical(self, question: Question, body: str, offset: int) -> None:
        body, offset = body[1:], offset + 1
        body, tilde, wrong = body.partition("~")  # "~#feedback": for any other number
        pieces = _split_marks(body, offset, "=")
        if not pieces:
            self.error(offset, "a numerical question needs at least one number")
        for piece, at in pieces:
            _, rest, at = _unpack(piece, at, "=")
            fraction, rest = _weight(rest, 1.0)
            answer, feedback = _split_feedback(rest)
            spec = _number_spec(_text_with_format(answer, self.format)[0])
            if isinstance(spec, str):
                self.error(at, spec)
                continue
            feedback, feedback_format = self.part(feedback)
            question.answers.append(Answer("", fraction, feedback, feedback_format=feedback_format,
                                           value=spec[0], tolerance=spec[1]))
        if tilde:
            feedback, feedback_format = self.part(_split_feedback(wrong)[1])
            question.answers.append(Answer("", 0.0, feedback, feedback_format=feedback_format))

    def match(self, question: Question, body: str, offset: int) -> None:
        for piece, at in _split_marks(body, offset, "="):
            _, rest, at = _unpack(piece, at, "=")
            left, arrow, right = rest.partition("->")
            if not arrow:
                self.error(at, f"a matching pair needs '->': '{_unmask(rest)[:40]}'")
                continue
            text, text_format = self.part(_trim(left))
            match_text = _trim(_unmask(right))  # Moodle keeps the answer side as plain text
            if text or match_text:  # Moodle ignores pairs blank on both sides
                question.answers.append(Answer(text, text_format=text_format, match_text=match_text))

    def essay(self, question: Question, body: str, offset: int) -> None:
        """Nothing to read: an essay's block is empty (but for its general feedback)."""


_BUILDERS: dict[str, Callable[[_QuestionReader, Question, str, int], None]] = {
    name: getattr(_QuestionReader, name)
    for name in ("multichoice", "truefalse", "shortanswer", "numerical", "match", "essay")
}


def _detect_type(body: str) -> str:
    """Moodle's choice of question type from the (masked) answer block."""
    if not body:
        return "essay"
    if body[0] == "#":
        return "numerical"
    if "~" in body:
        return "multichoice"
    if "=" in body and "->" in body:
        return "match"
    return "truefalse" if _trim(body.split("#", 1)[0]) in _TRUE_FALSE else "shortanswer"


def _number(text: str) -> float | None:
    text = _trim(text)
    value = float(text) if _NUMBER_RE.fullmatch(text) else None
    return value if value is not None and math.isfinite(value) else None


def _number_spec(spec: str) -> tuple[float | None, float] | str:
    """(value, tolerance) of ``n``, ``n:tolerance``, ``min..max`` or ``*``; an error message if bad."""
    if spec == "*":  # Moodle accepts a '*' answer: any number
        return None, 0.0
    if (dots := spec.find("..")) > 0:
        low, high = _number(spec[:dots]), _number(spec[dots + 2:])
        if low is None or high is None or low > high:
            return f"'{spec}' is not a range min..max of numbers"
        value = (low + high) / 2  # Moodle's conversion: midpoint ± half-width
        return value, high - value
    if (colon := spec.find(":")) > 0:
        value, tolerance = _number(spec[:colon]), _number(spec[colon + 1:])
        if value is None or tolerance is None or tolerance < 0:
            return f"'{spec}' is not a number:tolerance (tolerance >= 0)"
        return value, tolerance
    value = _number(spec)
    return (value, 0.0) if value is not None else f"'{spec}' is not a number"

