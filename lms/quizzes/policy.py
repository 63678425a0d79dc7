"""Who may start a quiz, when feedback shows, which score counts: read-only rules over attempts.

Plain functions taking ``now`` where time matters; they read the database and change nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from lms.auth.models import User
from lms.courses.enrolment import get_enrolment
from lms.courses.models import Enrolment
from lms.extensions import db
from lms.i18n import percent
from lms.quizzes.models import Attempt, Quiz, QuizQuestion
from lms.quizzes.qtypes import QUESTION_TYPES

# Why a new attempt cannot start, as a code (for tests and JSON) and a sentence (for people).
REASONS = {
    "not_enrolled": _l("Enrol in the course to take its quizzes."),
    "unavailable": _l("This quiz is not available."),
    "no_questions": _l("This quiz has no questions yet."),
    "attempts_used": _l("You have used all your attempts at this quiz."),
    "in_progress": _l("You have an attempt in progress: carry on where you left off."),
}


@dataclass
class StartCheck:
    """The answer of :func:`can_start`. ``allowed``: a new attempt may start now. When ``reason`` is
    "in_progress", ``resume`` is the attempt to carry on (starting again returns it)."""

    allowed: bool
    reason: str | None = None
    resume: Attempt | None = None
    attempts_used: int = 0
    attempts_left: int | None = None  # None: unlimited
    next_number: int = 1  # the number a new attempt gets, from the same read as the checks

    @property
    def message(self) -> str:
        return str(REASONS[self.reason]) if self.reason else ""


def attempts_of(user, quiz: Quiz) -> list[Attempt]:
    """The person's attempts at ``quiz``, oldest first."""
    return list(db.session.scalars(
        select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id).order_by(Attempt.number)
    ))


# The person's attempts at a quiz and whether they are enrolled in its course, in one statement (starting a
# quiz and its intro page ask both): anchored on the person's own row, so the attempts come back whether or not
# they are enrolled (an unenrolled learner's attempt whose time is up is still submitted on Start). Built once.
_ATTEMPTS_AND_ENROLMENT = (
    select(Enrolment.id, Attempt).select_from(User)
    .outerjoin(Enrolment, (Enrolment.user_id == User.id) & (Enrolment.course_id == bindparam("course_id")))
    .outerjoin(Attempt, (Attempt.user_id == User.id) & (Attempt.quiz_id == bindparam("quiz_id")))
    .where(User.id == bindparam("user_id")).order_by(Attempt.number)
)


def attempts_and_enrolment(user, quiz: Quiz) -> tuple[list[Attempt], bool]:
    """(attempts_of(user, quiz), whether ``user`` is enrolled in the quiz's course), read together."""
    if user is None or not user.is_authenticated:
        return [], False
    rows = db.session.execute(_ATTEMPTS_AND_ENROLMENT,
                              {"user_id": user.id, "course_id": quiz.course_id, "quiz_id": quiz.id}).all()
    return [attempt for _enrolment, attempt in rows if attempt is not None], any(e is not None for e, _a in rows)


def is_expired(attempt: Attempt, now: datetime) -> bool:
    """An attempt still in progress whose time is up (it is submitted at the next chance)."""
    return attempt.state == "in_progress" and attempt.deadline_at is not None and now > attempt.deadline_at


def gradable_count(quiz: Quiz) -> int:
    return sum(1 for row in quiz.live_questions if QUESTION_TYPES[row.qtype].gradable)


def quiz_with_counts(course, key: str) -> tuple[Quiz | None, int, int]:
    """(the course's quiz with this key or None, its live questions, the gradable ones) in one statement: the
    module and course pages show a quiz's box on every request, and asked for the quiz and its counts apart."""
    question = QuizQuestion.__table__
    rows = db.session.execute(
        select(Quiz, question.c.qtype, func.count(question.c.id))
        .outerjoin(question, (question.c.quiz_id == Quiz.id) & question.c.archived_at.is_(None))
        .where(Quiz.course_id == course.id, Quiz.key == key).group_by(Quiz.id, question.c.qtype)).all()
    if not rows:
        return None, 0, 0
    counts = {qtype: n for _quiz, qtype, n in rows if qtype is not None}
    return rows[0][0], sum(counts.values()), sum(n for qtype, n in counts.items() if QUESTION_TYPES[qtype].gradable)


def is_available(quiz: Quiz) -> bool:
    """The quiz's course is published and, for a module quiz, its module is live."""
    if not quiz.course.is_published:
        return False
    module = quiz.module
    return module is None or (module.is_published and module.archived_at is None)


def can_start(user, quiz: Quiz, now: datetime, attempts: list[Attempt] | None = None,
              enrolled: bool | None = None) -> StartCheck:
    """May ``user`` start a new attempt at ``quiz`` at ``now``? An attempt whose time is up does not count as
    in progress (close_expired_attempts submits it). ``attempts`` and ``enrolled``: what attempts_and_enrolment
    (or attempts_of) read, when the caller has read them already."""
    if user is None or not user.is_authenticated:
        return StartCheck(False, "not_enrolled")
    if enrolled is None:
        enrolled = get_enrolment(user, quiz.course) is not None
    if not enrolled:
        return StartCheck(False, "not_enrolled")
    if attempts is None:
        attempts = attempts_of(user, quiz)
    used = len(attempts)
    left = max(0, quiz.attempts_allowed - used) if quiz.attempts_allowed else None
    number = max((a.number for a in attempts), default=0) + 1
    current = next((a for a in attempts if a.state == "in_progress" and not is_expired(a, now)), None)
    if current is not None:
        return StartCheck(False, "in_progress", current, used, left, number)
    if not is_available(quiz):
        return StartCheck(False, "unavailable", None, used, left, number)
    if gradable_count(quiz) == 0:
        return StartCheck(False, "no_questions", None, used, left, number)
    if left == 0:
        return StartCheck(False, "attempts_used", None, used, left, number)
    return StartCheck(True, None, None, used, left, number)


def has_passed(user, quiz: Quiz) -> bool:
    return any(a.passed for a in attempts_of(user, quiz))


def feedback_visible(quiz: Quiz, attempt: Attempt, attempts_used: int, passed: bool = False) -> bool:
    """May the learner see the feedback and the right answers of a submitted ``attempt``?

    ``show_feedback``: "immediately" after submitting; "never"; "after_last_attempt": once ``attempts_used``
    reaches the attempts allowed — with unlimited attempts there is no last one, so feedback shows once the
    learner has ``passed`` (any attempt).
    """
    if attempt.state != "submitted" or quiz.show_feedback == "never":
        return False
    if quiz.show_feedback == "immediately":
        return True
    if quiz.attempts_allowed:
        return attempts_used >= quiz.attempts_allowed
    return passed


def counted_score(user, quiz: Quiz, attempts: list[Attempt] | None = None) -> float | None:
    """The score (0..1) that counts for ``user`` per the quiz's ``grade_method``: the best submitted attempt's,
    or the last one's; None before any submitted attempt. ``attempts``: attempts_of(user, quiz) when the
    caller has read them already."""
    if attempts is None:
        attempts = attempts_of(user, quiz)
    submitted = [a for a in attempts if a.state == "submitted" and a.score is not None]
    if not submitted:
        return None
    if quiz.grade_method == "last":
        return submitted[-1].score
    return max(a.score for a in submitted)


def settings_sentence(quiz: Quiz, questions: int) -> str:
    """The settings in words: "6 questions · 3 attempts · 20 minutes · pass mark 70%"."""
    from flask_babel import gettext, ngettext

    parts = [ngettext("%(num)d question", "%(num)d questions", questions)]
    if quiz.attempts_allowed:
        parts.append(ngettext("%(num)d attempt", "%(num)d attempts", quiz.attempts_allowed))
    else:
        parts.append(gettext("unlimited attempts"))
    if quiz.time_limit_minutes:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", quiz.time_limit_minutes))
    else:
        parts.append(gettext("no time limit"))
    parts.append(gettext("pass mark %(mark)s", mark=percent(quiz.pass_mark, whole=True)))
    return " · ".join(parts)
