"""A learner's own progress, for "my learning", the signed-in home and GET /api/v1/me/progress.

The same rows and rules as lms.progress.queries (which serves reports over whole organisations), read for one
person in fewer statements: their enrolments come with the courses' module totals and their lab figures in one
statement, and the next step of every unfinished course with one more.
"""
from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, select, true

from lms.courses import reading
from lms.courses.models import Course, Enrolment, Module, ModuleCompletion
from lms.extensions import db
from lms.labs.models import ATTENDED, CONFIRMED, NO_SHOW, Booking, LabSession
from lms.progress.completion import live_module_filter
from lms.progress.queries import Row, required_module_filter
from lms.quizzes.models import Attempt, Quiz

# The statements are built once per process, with bind parameters: building them (and their cache keys) on every
# request cost more CPU than running them (cProfile of /api/v1/me/progress: ~80 expression coercions a request).


def _rows_statement():
    """The person's enrolments in published courses, by title: each with its required-module count (the modules'
    course index) and the person's lab figures (one aggregate of their bookings, joined to every row)."""
    status = Booking.status
    labs = (select(func.count(case((status == ATTENDED, 1))).label("attended"),
                   func.count(case((status == NO_SHOW, 1))).label("no_shows"),
                   func.count(case(((status == CONFIRMED) & (LabSession.starts_at >= bindparam("now")), 1)))
                   .label("upcoming"))
            .select_from(Booking).join(LabSession, LabSession.id == Booking.session_id)
            .where(Booking.user_id == bindparam("user_id"), status.in_((ATTENDED, NO_SHOW, CONFIRMED))).subquery())
    total = (select(func.count(Module.id)).where(Module.course_id == Enrolment.course_id, required_module_filter())
             .scalar_subquery())
    return (select(Course.id, Course.slug, Course.title, Course.language, Course.translation_of, Enrolment.enrolled_at,
                   Enrolment.completed_at, Enrolment.modules_done, Enrolment.quiz_best, Enrolment.final_best,
                   Enrolment.quiz_attempts, Enrolment.last_activity_at, Enrolment.last_module_id, total,
                   labs.c.attended, labs.c.no_shows, labs.c.upcoming)
            .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id).join(labs, true())
            .where(Enrolment.user_id == bindparam("user_id"), Course.is_published.is_(True))
            .order_by(Course.title, Course.id))


_ROWS = _rows_statement()
_ROWS_PAGE = _ROWS.limit(bindparam("limit")).offset(bindparam("offset"))
_COUNT = (select(func.count()).select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
          .where(Enrolment.user_id == bindparam("user_id"), Course.is_published.is_(True)))


def rows(user, now: datetime, *, limit: int | None = None, offset: int = 0) -> list[Row]:
    """queries.rows for `user` alone (who is signed in, hence active), by course title: one statement. Name and
    e-mail are the person's own."""
    params = {"user_id": user.id, "now": now}
    if limit is not None:
        params.update(limit=limit, offset=offset)
    return [Row(user_id=user.id, name=user.name, email=user.email, course_id=r[0], course_slug=r[1], course_title=r[2],
                course_language=r[3], edition_of=r[4] or r[1], enrolled_at=r[5], completed_at=r[6], done=r[7],
                best_score=r[8], final_score=r[9], attempts=r[10], last_activity=r[11] or r[5], last_module_id=r[12],
                total=r[13] or 0, attended=r[14], no_shows=r[15], upcoming=r[16])
            for r in db.session.execute(_ROWS if limit is None else _ROWS_PAGE, params)]


def count(user, page_rows: list[Row], limit: int, offset: int) -> int:
    """How many rows `rows` gives without a limit: known from a page that is not full (no statement), else
    counted."""
    if len(page_rows) < limit and (page_rows or offset == 0):
        return offset + len(page_rows)
    return db.session.scalar(_COUNT, {"user_id": user.id})


_LIVE_MODULES = (
    select(Module.id, Module.course_id, Module.slug, Module.title,
           ModuleCompletion.module_id.is_not(None).label("completed"))
    .outerjoin(ModuleCompletion, and_(ModuleCompletion.module_id == Module.id,
                                      ModuleCompletion.user_id == bindparam("user_id")))
    .where(Module.course_id.in_(bindparam("course_ids", expanding=True)), live_module_filter())
    .order_by(Module.course_id, Module.position))


def next_steps(user_id: int, course_rows: list[Row]) -> dict:
    """{course id: the module to read next, or None} for the unfinished courses of `course_rows`: the answer of
    enrolment.resume_module (reading.resume) from one statement, the live modules of those courses (slug and
    title, no text) each with whether the person completed it."""
    open_rows = [r for r in course_rows if not r.is_complete]
    if not open_rows:
        return {}
    live, done = defaultdict(list), set()
    for module in db.session.execute(_LIVE_MODULES, {"user_id": user_id,
                                                     "course_ids": [r.course_id for r in open_rows]}):
        live[module.course_id].append(module)
        if module.completed:
            done.add(module.id)
    return {r.course_id: reading.resume(r, live[r.course_id], done) for r in open_rows}


_ATTEMPTS = (select(Quiz.course_id, Quiz.title.label("quiz_title"), Attempt.number, Attempt.score, Attempt.passed)
             .join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Attempt.user_id == bindparam("user_id"), Quiz.course_id.in_(bindparam("course_ids", expanding=True)))
             .order_by(Attempt.started_at))


def attempts_by_course(user_id: int, course_ids: list[int]) -> dict:
    """{course id: [(quiz title, number, score, passed)]} of the person's attempts, oldest first: the columns
    "my learning" shows, without the attempts' and quizzes' other fields."""
    result = defaultdict(list)
    if not course_ids:
        return result
    for attempt in db.session.execute(_ATTEMPTS, {"user_id": user_id, "course_ids": course_ids}):
        result[attempt.course_id].append(attempt)
    return result
