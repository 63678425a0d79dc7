"""Quiz questions: the data model shared by the GIFT parser, the grader and the app.

Pure Python (no Flask, no SQLAlchemy). A :class:`Question` round-trips through JSON with
:meth:`Question.to_dict` / :meth:`Question.from_dict`, so the app can keep one in a JSON column.
The per-type behaviour (validation, grading, the learner's view) lives in ``qtypes.py``;
this module re-exports it.

Conventions, all Moodle's:

- ``fraction``: 1.0 is 100 %, -0.5 is -50 %. A learner's grade is always clamped to [0, 1].
- Text formats: "moodle" (the default), "html", "plain", "markdown". Every text travels with its
  format (``text_format``, ``feedback_format``...) and the app renders it through its sanitiser.
  Multiple-choice answers and matching stems have their own format; short-answer and numerical
  answers and the right side of matching pairs are plain strings.
- Missing word: when the answer block sits inside the sentence ("Grant is {~buried =entombed} in
  Grant's tomb."), ``text`` is Moodle's question text with a blank, "Grant is _____ in Grant's
  tomb.", and ``blank`` is the offset of that ``_____`` in ``text`` (None for ordinary questions,
  whose answers follow the text). ``text_before``/``text_after`` give the two halves.
"""
from __future__ import annotations

import random
from typing import Any

from lms.quizzes.qtypes import (  # noqa: F401  (re-exported API)
    FULL_MARK,
    NOT_A_NUMBER,
    QUESTION_TYPES,
    Grade,
    InvalidResponse,
    QuestionType,
    clamp,
    match_choices,
    match_stems,
    parse_number,
    wildcard_match,
)
from lms.quizzes.question_data import (  # noqa: F401  (re-exported API)
    BLANK,
    FORMATS,
    SCHEMA,
    Answer,
    QuestionData,
    field_names,
)

QTYPES = tuple(QUESTION_TYPES)
_LISTS = ("answers", "tags")  # from_dict builds these itself


class Question(QuestionData):
    """A question with its behaviour: validation, grading and the learner's view, by its qtype
    (see :class:`QuestionData` for the fields)."""

    @property
    def default_mark(self) -> int:
        """Moodle's default mark: 0 for a description, 1 for any other question."""
        return 1 if QUESTION_TYPES[self.qtype].gradable else 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Inverse of :meth:`to_dict`. Raises ValueError for an unknown qtype; does not
        validate otherwise (call :func:`validate`)."""
        if data.get("qtype") not in QUESTION_TYPES:
            raise ValueError(f"unknown question type {data.get('qtype')!r}")
        question = cls(**{key: data[key] for key in field_names(cls) if key in data and key not in _LISTS})
        question.answers = [Answer.from_dict(a) for a in data.get("answers", ())]
        question.tags = [str(t) for t in data.get("tags", ())]
        return question

    def validate(self) -> list[str]:
        """See :func:`validate`."""
        return validate(self)

    def grade(self, response: Any) -> Grade:
        """See :func:`grade`."""
        return grade(self, response)

    def public_dict(self, shuffle_rng: random.Random | None = None) -> dict[str, Any]:
        """See :func:`public_view`."""
        return public_view(self, shuffle_rng)


def validate(question: Question) -> list[str]:
    """Every problem that makes ``question`` unusable, as messages ([] when it is fine):
    Moodle's rules for its type (answer counts, weights) plus format and blank checks."""
    qtype = QUESTION_TYPES.get(question.qtype)
    if qtype is None:
        return [f"unknown question type {question.qtype!r}"]
    errors = [] if question.name.strip() else ["the question has no name"]
    formats = [question.text_format, question.general_feedback_format,
               question.feedback_true_format, question.feedback_false_format]
    formats += [f for a in question.answers for f in (a.text_format, a.feedback_format)]
    errors += [f"unknown text format {f!r}" for f in dict.fromkeys(formats) if f not in FORMATS]
    blank = question.blank
    if blank is not None and (blank < 0 or question.text[blank:blank + len(BLANK)] != BLANK):
        errors.append(f"blank offset {blank} does not point at {BLANK!r} in the text")
    return errors + qtype.validate(question)


def grade(question: Question, response: Any) -> Grade:
    """Grade a learner's ``response`` (JSON-friendly, see ``qtypes``) to ``question``.

    The fraction is clamped to [0, 1]. A description is not graded (fraction 0, not correct);
    an essay gives fraction 0 and ``needs_manual`` until a teacher marks it. Raises
    InvalidResponse (a ValueError) when the response's shape does not fit the question.
    """
    return QUESTION_TYPES[question.qtype].grade(question, response)


def public_view(question: Question, shuffle_rng: random.Random | None = None) -> dict[str, Any]:
    """What the learner's page may see before submitting, JSON-friendly.

    Always ``qtype``, ``text``, ``text_format`` and ``blank`` (missing word); plus, for
    multichoice, ``single`` and ``choices`` [{index, text, format}]; for match, ``stems``
    [{index, text, format}] and ``choices`` [{index, text, format}], whose indices are those
    :func:`grade` expects. Never the name, fractions, feedback, right answers, accepted short
    answers or numbers. With ``shuffle_rng`` the choices (and stems) come in a random order;
    their ``index`` stays the same.
    """
    view: dict[str, Any] = {"qtype": question.qtype, "text": question.text,
                            "text_format": question.text_format, "blank": question.blank}
    view.update(QUESTION_TYPES[question.qtype].public(question, shuffle_rng))
    return view
