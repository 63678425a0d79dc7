"""Quizzes and their questions in the database: the one place that creates, imports, edits and archives them.

Used by the file sync (lms.quizzes.loader), the CLI and the trainer's pages alike. Rules only: they add and
flush, the caller commits.

Question rows are never deleted once a learner may have answered them: a question removed from a quiz is
archived (``archived_at``), and a question edited after it got responses is archived and replaced by a new
row, so past attempts keep the question they answered and its statistics.

Browser edits mark the quiz (``edited_in_browser_at``) so that a later sync of a changed .gift file reports a
conflict instead of overwriting the trainer's work (as modules do). The sync passes ``from_browser=False``.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import gettext
from sqlalchemy import select

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.quizzes.models import DEFAULT_SETTINGS, GRADE_METHODS, SHOW_FEEDBACK, Quiz, QuizQuestion, Response
from lms.quizzes.questions import Question, validate

FINAL_KEY = "final"

# front-matter key -> (column, kind); kind checks and converts a value
_SETTINGS = {
    "pass_mark": "pass_mark",
    "attempts": "attempts_allowed",
    "time_limit": "time_limit_minutes",
    "shuffle_questions": "shuffle_questions",
    "shuffle_answers": "shuffle_answers",
    "show_feedback": "show_feedback",
    "grade": "grade_method",
}


def _(text: str, **values) -> str:
    """The message in the person's language (gettext; English outside a request)."""
    return gettext(text, **values)


class QuizError(ValueError):
    """A quiz change was refused; the message is meant for a person."""


class ImportResult(NamedTuple):
    added: int
    kept: int
    archived: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.archived)


def quiz_key(module=None) -> str:
    return module_quiz_key(module.slug) if module is not None else FINAL_KEY


def module_quiz_key(module_slug: str) -> str:
    """The key of the quiz of the module named ``module_slug`` (for a read that has the slug, not the module)."""
    return f"module:{module_slug}"


def get_quiz(course, module=None) -> Quiz | None:
    """The quiz of ``module`` (or the course's final quiz when ``module`` is None), if it exists."""
    return db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id, Quiz.key == quiz_key(module))).one_or_none()


def get_or_create_quiz(course, module=None) -> Quiz:
    """The quiz of ``module`` (or the final quiz), created with the default settings when missing."""
    quiz = get_quiz(course, module)
    if quiz is not None:
        return quiz
    if module is not None:
        title = f"{module.title} — quiz"
    else:
        title = f"{course.title} — final quiz"
    quiz = Quiz(course=course, module=module, key=quiz_key(module), title=title[:200])
    for key, value in DEFAULT_SETTINGS.items():
        setattr(quiz, _SETTINGS[key], value)
    db.session.add(quiz)
    db.session.flush()
    return quiz


# Settings ----------------------------------------------------------------------------------------------------

def _whole(key: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise QuizError(_("%(key)s: expected a whole number, not %(value)r", key=key, value=value))
    if value < low or (high is not None and value > high):
        limit = (_("between %(low)d and %(high)d", low=low, high=high) if high is not None
                 else _("at least %(low)d", low=low))
        raise QuizError(_("%(key)s: must be %(limit)s, not %(value)s", key=key, limit=limit, value=value))
    return value


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise QuizError(_("%(key)s: expected true or false, not %(value)r", key=key, value=value))


def _choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise QuizError(_("%(key)s: must be one of %(allowed)s, not %(value)r", key=key, allowed=', '.join(allowed),
                         value=value))
    return value


def check_settings(settings: dict) -> dict:
    """``settings`` (front-matter keys) checked and converted to column values.

    :raise QuizError: an unknown key or a value out of range, with a message for a person.
    """
    values = {}
    for key, value in settings.items():
        if key not in _SETTINGS:
            raise QuizError(_("%(key)s: unknown quiz setting (known: %(known)s)", key=key, known=', '.join(_SETTINGS)))
        if key == "pass_mark":
            value = _whole(key, value, 0, 100)
        elif key in ("attempts", "time_limit"):
            value = _whole(key, value, 0)
        elif key in ("shuffle_questions", "shuffle_answers"):
            value = _boolean(key, value)
        elif key == "show_feedback":
            value = _choice(key, value, SHOW_FEEDBACK)
        else:
            value = _choice(key, value, GRADE_METHODS)
        values[_SETTINGS[key]] = value
    return values


def apply_settings(quiz: Quiz, settings: dict, now: datetime | None = None, *, from_browser: bool = True) -> bool:
    """Set the quiz's settings named in ``settings`` (front-matter keys; keys left out keep their value).

    Checks everything before changing anything. When a value changed and the change comes ``from_browser``,
    the quiz is marked edited at ``now`` (default: the current time). True when anything changed.
    :raise QuizError: an unknown key or a bad value.
    """
    values = check_settings(settings)
    changed = False
    for column, value in values.items():
        if getattr(quiz, column) != value:
            setattr(quiz, column, value)
            changed = True
    if changed and from_browser:
        quiz.edited_in_browser_at = now or utcnow()
    return changed


def settings_of(quiz: Quiz) -> dict:
    """The quiz's settings as front-matter keys (every key, defaults included)."""
    return {key: getattr(quiz, column) for key, column in _SETTINGS.items()}


def describe_settings(settings: dict) -> dict:
    """Only the settings that differ from DEFAULT_SETTINGS: what a front matter needs to say."""
    return {key: value for key, value in settings.items() if DEFAULT_SETTINGS.get(key) != value}


# Questions ---------------------------------------------------------------------------------------------------

def question_hash(question: Question) -> str:
    """The content hash of a question: what a learner meets. Its line in a file and its Moodle category (where
    it sits in a question bank) do not count, so moving it or re-filing it is no change."""
    data = question.to_dict()
    data.pop("line", None)
    data.pop("category", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def question_of(row: QuizQuestion) -> Question:
    """The stored question as a Question."""
    return Question.from_dict(row.data)


def _check(question: Question) -> None:
    errors = validate(question)
    if errors:
        raise QuizError("; ".join(errors))


def _fill(row: QuizQuestion, question: Question) -> None:
    row.qtype = question.qtype
    row.name = (question.name or "")[:255]
    row.data = question.to_dict()
    row.content_hash = question_hash(question)


def _mark(quiz: Quiz, now: datetime | None, from_browser: bool) -> None:
    if from_browser:
        quiz.edited_in_browser_at = now or utcnow()


def replace_questions(quiz: Quiz, questions: list[Question], now: datetime, *,
                      from_browser: bool = True) -> ImportResult:
    """Make ``questions`` the quiz's live questions, in that order.

    A question whose content hash matches a live row keeps that row (and its statistics); one matching an
    archived row brings that row back (counted as added); any other is added; live rows not in the list are
    archived. Positions follow the list. Every question is validated first: nothing changes if one is invalid.
    A browser import (``from_browser``) that changed anything marks the quiz edited at ``now``.
    :raise QuizError: a question that fails validate(), named in the message.
    """
    for question in questions:
        errors = validate(question)
        if errors:
            raise QuizError(f"{question.name or question.text[:40]!r}: {'; '.join(errors)}")
    live, archived = defaultdict(list), defaultdict(list)
    for row in quiz.questions:
        (live if row.archived_at is None else archived)[row.content_hash].append(row)
    added = kept = 0
    positions_changed = False
    for position, question in enumerate(questions, start=1):
        digest = question_hash(question)
        if live[digest]:
            row = live[digest].pop(0)
            if row.data.get("category") != question.category:
                row.data = question.to_dict()
            kept += 1
        elif archived[digest]:
            row = archived[digest].pop()
            row.archived_at = None
            added += 1
        else:
            row = QuizQuestion(quiz=quiz)
            _fill(row, question)
            db.session.add(row)
            added += 1
        if row.position != position:
            row.position = position
            positions_changed = True
    gone = [row for rows in live.values() for row in rows]
    for row in gone:
        row.archived_at = now
    db.session.flush()
    db.session.expire(quiz, ["questions"])
    result = ImportResult(added, kept, len(gone))
    if result.changed or positions_changed:
        _mark(quiz, now, from_browser)
    return result


def _next_position(quiz: Quiz) -> int:
    return max((row.position for row in quiz.live_questions), default=0) + 1


def add_question(quiz: Quiz, question: Question, now: datetime) -> QuizQuestion:
    """Append ``question`` to the quiz's live questions. :raise QuizError: it fails validate()."""
    _check(question)
    row = QuizQuestion(quiz=quiz, position=_next_position(quiz))
    _fill(row, question)
    db.session.add(row)
    _mark(quiz, now, True)
    db.session.flush()
    db.session.expire(quiz, ["questions"])
    return row


def has_responses(row: QuizQuestion) -> bool:
    return db.session.scalar(select(Response.id).where(Response.question_id == row.id).limit(1)) is not None


def update_question(row: QuizQuestion, question: Question, now: datetime) -> QuizQuestion:
    """Save an edited question; returns the live row that holds it.

    Unchanged content changes nothing. A question that learners answered already is archived and a new row
    takes its place (same position), so past attempts keep the question they saw; otherwise the row is
    updated in place. :raise QuizError: it fails validate(), or the row is archived.
    """
    _check(question)
    if row.archived_at is not None:
        raise QuizError(_("This question was removed from the quiz; it can no longer be edited."))
    if question_hash(question) == row.content_hash:
        return row
    quiz = row.quiz
    if has_responses(row):
        row.archived_at = now
        new = QuizQuestion(quiz=quiz, position=row.position)
        _fill(new, question)
        db.session.add(new)
        row = new
    else:
        _fill(row, question)
    _mark(quiz, now, True)
    db.session.flush()
    db.session.expire(quiz, ["questions"])
    return row


def archive_question(row: QuizQuestion, now: datetime) -> None:
    """Remove a question from the quiz (kept for past attempts and statistics)."""
    if row.archived_at is None:
        row.archived_at = now
        _mark(row.quiz, now, True)
        db.session.flush()


def move_question(row: QuizQuestion, step: int, now: datetime | None = None) -> bool:
    """Move a live question ``step`` places (-1 up, +1 down) among the live ones; False at either end."""
    quiz = row.quiz
    live = sorted(quiz.live_questions, key=lambda r: (r.position, r.id or 0))
    if row not in live:
        return False
    index = live.index(row)
    target = index + step
    if step == 0 or not 0 <= target < len(live):
        return False
    live.insert(target, live.pop(index))
    for position, item in enumerate(live, start=1):
        item.position = position
    _mark(quiz, now, True)
    db.session.flush()
    db.session.expire(quiz, ["questions"])
    return True


@dataclass
class QuizSummary:
    """Counts a page can show next to a quiz."""

    questions: int
    gradable: int


def summary_of(quiz: Quiz) -> QuizSummary:
    live = quiz.live_questions
    return QuizSummary(len(live), sum(1 for row in live if row.qtype != "description"))
