"""The essay grading queue: essays in submitted attempts that wait for a trainer of their course.

The grading itself (the response's fraction, the attempt's score and pass, the module's completion) is
lms.quizzes.attempts.finish_manual_grading; this module finds what to grade and guards who may grade it.
"""
from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.courses.access import can_author
from lms.courses.models import Course
from lms.extensions import db
from lms.quizzes.models import Attempt, Quiz, Response
from lms.quizzes.questions import parse_number


def _pending(course_ids: list[int]):
    return (select(Response)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Quiz.course_id.in_(course_ids), Attempt.state == "submitted",
                   Response.needs_manual.is_(True), Response.graded_at.is_(None)))


def pending_essays(courses: list[Course], limit: int = 200) -> list[Response]:
    """Essays waiting for a grade in ``courses``, oldest submission first, with their attempt, learner,
    quiz and question loaded."""
    if not courses:
        return []
    query = (_pending([c.id for c in courses])
             .options(joinedload(Response.attempt).joinedload(Attempt.user),
                      joinedload(Response.attempt).joinedload(Attempt.quiz).joinedload(Quiz.course),
                      joinedload(Response.question))
             .order_by(Attempt.submitted_at, Response.id).limit(limit))
    return list(db.session.scalars(query).unique())


def count_pending(courses: list[Course]) -> dict[int, int]:
    """{quiz id: essays waiting} for ``courses``."""
    if not courses:
        return {}
    query = (select(Attempt.quiz_id, func.count(Response.id))
             .select_from(Response).join(Attempt, Attempt.id == Response.attempt_id)
             .join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Quiz.course_id.in_([c.id for c in courses]), Attempt.state == "submitted",
                    Response.needs_manual.is_(True), Response.graded_at.is_(None))
             .group_by(Attempt.quiz_id))
    return dict(db.session.execute(query).all())


def get_gradable_response_or_404(response_id: int, for_user) -> Response:
    """An essay response in a submitted attempt of a course ``for_user`` authors (graded already or not:
    the caller tells which).

    :raise 404: no such response, not an essay of a submitted attempt, or a course the person does not author
        (a learner's answer is not revealed to other courses' trainers).
    """
    response = db.session.get(Response, response_id)
    if response is None or response.question.qtype != "essay" or response.attempt.state != "submitted":
        abort(404)
    if not can_author(for_user, response.attempt.quiz.course):
        abort(404)
    return response


def parse_percent(text: str | None) -> float:
    """A typed score "0".."100" (also "75%", "62,5") as a fraction 0..1; ValueError with a message if not."""
    raw = (text or "").strip().removesuffix("%").strip()
    value = parse_number(raw) if raw else None
    if value is None or not 0 <= value <= 100:
        raise ValueError(str(_l("Give a score between 0 and 100 (%).")))
    return value / 100
