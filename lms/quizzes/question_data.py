"""The fields of a quiz question and its answers: plain data, shared by the question types
(``qtypes.py``, which read them) and ``questions.py`` (which adds the behaviour that needs the
question-type registry). Pure Python (no Flask, no SQLAlchemy); see ``questions.py`` for the conventions.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

FORMATS = ("moodle", "html", "plain", "markdown")
BLANK = "_____"
SCHEMA = 1  # version of the to_dict() shape, stored with it

# The keys of Answer.to_dict(), per qtype: only what the type uses.
_ANSWER_KEYS: dict[str, tuple[str, ...]] = {
    "multichoice": ("text", "text_format", "fraction", "feedback", "feedback_format"),
    "shortanswer": ("text", "fraction", "feedback", "feedback_format"),
    "numerical": ("value", "tolerance", "fraction", "feedback", "feedback_format"),
    "match": ("text", "text_format", "match_text"),
}
_COMMON_KEYS = ("qtype", "name", "text", "text_format", "blank", "general_feedback",
                "general_feedback_format", "category", "idnumber", "tags", "line")
_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "multichoice": ("single",),
    "truefalse": ("correct", "feedback_true", "feedback_true_format", "feedback_false",
                  "feedback_false_format"),
}


@cache
def field_names(cls) -> tuple[str, ...]:
    """A dataclass's field names, once per class: dataclasses.fields() builds its tuple on every call, and a
    quiz page rebuilds every question it shows from its stored dict."""
    return tuple(f.name for f in fields(cls))


@dataclass
class Answer:
    """One answer of a question; which fields matter depends on the qtype.

    - multichoice: ``text`` (in ``text_format``), ``fraction``, ``feedback``.
    - shortanswer: ``text`` is an accepted answer (plain; ``*`` is a wildcard), ``fraction``, ``feedback``.
    - numerical: ``value`` ± ``tolerance`` (a range min..max becomes its midpoint ± half-width);
      ``value=None`` is Moodle's ``*``, any other number (``~#feedback`` in GIFT).
    - match: ``text`` is the question side (in ``text_format``; empty for an extra wrong choice),
      ``match_text`` the answer side (plain); see :attr:`pair`.
    """

    text: str = ""
    fraction: float = 0.0
    feedback: str = ""
    text_format: str = "moodle"
    feedback_format: str = "moodle"
    value: float | None = None
    tolerance: float = 0.0
    match_text: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        """A matching pair as (question side, answer side)."""
        return self.text, self.match_text

    def to_dict(self, qtype: str) -> dict[str, Any]:
        """The fields ``qtype`` uses, JSON-friendly."""
        return {key: getattr(self, key) for key in _ANSWER_KEYS.get(qtype, ())}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """Inverse of :meth:`to_dict`; missing keys take their defaults, unknown keys are ignored."""
        answer = cls(**{name: data[name] for name in field_names(cls) if name in data})
        answer.fraction = float(answer.fraction)
        answer.tolerance = float(answer.tolerance)
        answer.value = None if answer.value is None else float(answer.value)
        return answer


@dataclass
class QuestionData:
    """A question as Moodle imports it from GIFT (its fields; :class:`questions.Question` adds grading).

    ``qtype`` is one of :data:`questions.QTYPES`. ``name`` is the ``::name::`` (or Moodle's default, the
    start of the text). ``category`` is the path of the last ``$CATEGORY:`` above the question
    (None: the quiz's default category). ``line`` is where the question starts in its file; it is
    informative only and is ignored when questions are compared. ``idnumber`` and ``tags`` come
    from ``// [id:...] [tag:...]`` comments, as in Moodle 3.6+.

    Type-specific fields: ``single`` (multichoice: one right answer, radio buttons, vs several,
    checkboxes; GIFT makes it single when the block has an ``=``); ``correct``, ``feedback_true``
    and ``feedback_false`` (truefalse: the right answer, and the feedback for a learner who answered
    true / false). ``answers`` for multichoice, shortanswer, numerical and match (see :class:`Answer`).
    """

    qtype: str
    name: str = ""
    text: str = ""
    text_format: str = "moodle"
    general_feedback: str = ""
    general_feedback_format: str = "moodle"
    answers: list[Answer] = field(default_factory=list)
    category: str | None = None
    line: int = field(default=0, compare=False)
    blank: int | None = None
    single: bool = True
    correct: bool = True
    feedback_true: str = ""
    feedback_true_format: str = "moodle"
    feedback_false: str = ""
    feedback_false_format: str = "moodle"
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def is_missing_word(self) -> bool:
        """True when the answers sit inside the sentence, at :attr:`blank`."""
        return self.blank is not None

    @property
    def text_before(self) -> str:
        """The text before the blank (all of it for an ordinary question)."""
        return self.text if self.blank is None else self.text[:self.blank]

    @property
    def text_after(self) -> str:
        """The text after the blank ("" for an ordinary question)."""
        return "" if self.blank is None else self.text[self.blank + len(BLANK):]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Matching pairs as (question side, answer side)."""
        return [a.pair for a in self.answers]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; :meth:`from_dict` rebuilds an equal question."""
        data: dict[str, Any] = {"schema": SCHEMA}
        data.update((key, getattr(self, key)) for key in _COMMON_KEYS)
        data["tags"] = list(self.tags)
        data.update((key, getattr(self, key)) for key in _TYPE_KEYS.get(self.qtype, ()))
        if self.qtype in _ANSWER_KEYS:
            data["answers"] = [a.to_dict(self.qtype) for a in self.answers]
        return data
