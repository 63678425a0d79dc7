"""One learner in detail (modules, attempts, bookings), a course's gradebook, and the dashboards' figures.
Each function runs a fixed number of statements."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, defer

from lms.courses.models import Course, Enrolment, Module, ModuleCompletion
from lms.extensions import db
from lms.labs.models import CONFIRMED, WAITLISTED, Booking, Lab, LabSession
from lms.progress.completion import done_modules_query, live_module_filter
from lms.progress.models import Certificate
from lms.quizzes.models import Attempt, Quiz, QuizQuestion, Response


@dataclass
class Cell:
    done_at: datetime | None = None
    best: float | None = None
    attempts: int = 0


@dataclass
class Gradebook:
    modules: list
    final_quiz: Quiz | None
    cells: dict = field(default_factory=dict)  # (user_id, module_id or "final") -> Cell


def gradebook(course: Course, user_ids: list[int]) -> Gradebook:
    """Learner x module (done, best quiz score, attempts) for `user_ids`, plus the final quiz. Three statements."""
    modules = list(db.session.scalars(select(Module).where(Module.course_id == course.id, live_module_filter())
                                      .order_by(Module.position)))
    quizzes = list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)))
    book = Gradebook(modules, next((q for q in quizzes if q.is_final), None))
    if not user_ids:
        return book
    done = done_modules_query().subquery()
    for user_id, module_id, done_at in db.session.execute(
            select(done.c.user_id, done.c.module_id, done.c.done_at).where(
                done.c.user_id.in_(user_ids), done.c.module_id.in_([m.id for m in modules]))):
        book.cells.setdefault((user_id, module_id), Cell()).done_at = done_at
    column = {q.id: (q.module_id if q.module_id is not None else "final") for q in quizzes}
    for user_id, quiz_id, best, tries in db.session.execute(
            select(Attempt.user_id, Attempt.quiz_id, func.max(Attempt.score), func.count(Attempt.id))
            .where(Attempt.user_id.in_(user_ids), Attempt.quiz_id.in_(list(column)))
            .group_by(Attempt.user_id, Attempt.quiz_id)):
        cell = book.cells.setdefault((user_id, column[quiz_id]), Cell())
        cell.best, cell.attempts = best, tries
    return book


def gradebook_lines(book: Gradebook, rows) -> tuple[list[str], list[list]]:
    """Header and lines for the gradebook export: per module done (date), best %, attempts."""
    header = ["name", "email", "percent", "completed_at"]
    for m in book.modules:
        header += [f"{m.slug} done", f"{m.slug} best %", f"{m.slug} attempts"]
    if book.final_quiz is not None:
        header += ["final best %", "final attempts"]
    lines = []
    for r in rows:
        line = [r.name, r.email, r.percent, r.completed_at.isoformat() if r.completed_at else ""]
        for m in book.modules:
            cell = book.cells.get((r.user_id, m.id), Cell())
            line += [cell.done_at.date().isoformat() if cell.done_at else "",
                     round(cell.best * 100) if cell.best is not None else "", cell.attempts]
        if book.final_quiz is not None:
            cell = book.cells.get((r.user_id, "final"), Cell())
            line += [round(cell.best * 100) if cell.best is not None else "", cell.attempts]
        lines.append(line)
    return header, lines


@dataclass
class LearnerDetail:
    modules: dict  # course id -> [(module, done_at)]
    attempts: dict  # course id -> [Attempt]
    bookings: list  # [Booking]
    certificates: dict  # course id -> Certificate


def learner_detail(user_id: int, course_ids: list[int]) -> LearnerDetail:
    """Modules with completion, attempts and certificates in `course_ids`, and the person's bookings (each with
    its session and lab): the report's page on one learner. Five statements. (The learner's own pages read less:
    lms.progress.own.)"""
    modules = defaultdict(list)
    done = dict(db.session.execute(select(ModuleCompletion.module_id, ModuleCompletion.completed_at)
                                   .where(ModuleCompletion.user_id == user_id)).all())
    passed = dict(db.session.execute(
        select(Quiz.module_id, func.min(Attempt.submitted_at)).join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user_id, Attempt.passed.is_(True), Quiz.module_id.is_not(None))
        .group_by(Quiz.module_id)).all())
    for module in db.session.scalars(select(Module).where(Module.course_id.in_(course_ids), live_module_filter())
                                     .order_by(Module.course_id, Module.position)
                                     .options(defer(Module.body), defer(Module.summary))):  # titles are shown
        modules[module.course_id].append((module, done.get(module.id) or passed.get(module.id)))
    attempts = defaultdict(list)
    for attempt in db.session.scalars(select(Attempt).join(Quiz, Quiz.id == Attempt.quiz_id)
                                      .where(Attempt.user_id == user_id, Quiz.course_id.in_(course_ids))
                                      .order_by(Attempt.started_at).options(contains_eager(Attempt.quiz))):
        attempts[attempt.quiz.course_id].append(attempt)
    bookings = list(db.session.scalars(
        select(Booking).join(LabSession, LabSession.id == Booking.session_id).where(Booking.user_id == user_id)
        .order_by(LabSession.starts_at.desc()).options(*_with_session())))
    certificates = {c.course_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id.in_(course_ids)))}
    return LearnerDetail(modules, attempts, bookings, certificates)


def _with_session():
    """Loader options for bookings joined to their session: the session and its lab in the same statement
    (the pages show both; loaded one by one they cost two statements a booking)."""
    return [contains_eager(Booking.session).joinedload(LabSession.lab)]


# Built once (my learning and the home page ask on every view): building a statement with its loader options and
# cache key on each request costs more CPU than running it.
_UPCOMING = (select(Booking.status, Booking.session_id, LabSession.title, LabSession.starts_at, Lab.name.label("lab_name"))
             .join(LabSession, LabSession.id == Booking.session_id).outerjoin(Lab, Lab.id == LabSession.lab_id)
             .where(Booking.user_id == bindparam("user_id"), Booking.status.in_((CONFIRMED, WAITLISTED)),
                    LabSession.starts_at >= bindparam("now"), LabSession.cancelled_at.is_(None))
             .order_by(LabSession.starts_at).limit(bindparam("limit")))
_CERTIFICATES = (select(Certificate).where(Certificate.user_id == bindparam("user_id"))
                 .order_by(Certificate.completed_at.desc()))


def upcoming_bookings(user_id: int, now: datetime, limit: int = 5) -> list:
    """The person's next seats (confirmed or waitlisted): status, session id, title, start and lab name, the
    columns the pages list (the sessions' and labs' other fields, descriptions and JSON, are not read)."""
    return list(db.session.execute(_UPCOMING, {"user_id": user_id, "now": now, "limit": limit}))


def certificates_of(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(_CERTIFICATES, {"user_id": user_id}))


# The trainer's dashboard ----------------------------------------------------------------------------------

@dataclass
class TrainerCourse:
    course: Course
    learners: int = 0
    active_this_week: int = 0
    completed: int = 0
    essays_waiting: int = 0


def trainer_overview(courses: list[Course], now: datetime) -> tuple[list[TrainerCourse], list]:
    """Per taught course: learners, active in the last 7 days, completed, essays waiting for a grade; and the
    questions most often answered wrong across those courses. Five statements."""
    ids = [c.id for c in courses]
    result = {c.id: TrainerCourse(c) for c in courses}
    if not ids:
        return [], []
    for course_id, learners, completed in db.session.execute(
            select(Enrolment.course_id, func.count(), func.count(Enrolment.completed_at))
            .where(Enrolment.course_id.in_(ids)).group_by(Enrolment.course_id)):
        result[course_id].learners, result[course_id].completed = learners, completed
    week = now - timedelta(days=7)
    active = {}
    for course_id, user_id in db.session.execute(
            select(Module.course_id, ModuleCompletion.user_id).join(Module, Module.id == ModuleCompletion.module_id)
            .where(Module.course_id.in_(ids), ModuleCompletion.completed_at >= week)
            .union(select(Quiz.course_id, Attempt.user_id).join(Quiz, Quiz.id == Attempt.quiz_id)
                   .where(Quiz.course_id.in_(ids), Attempt.started_at >= week))):
        active.setdefault(course_id, set()).add(user_id)
    for course_id, users in active.items():
        result[course_id].active_this_week = len(users)
    for course_id, waiting in db.session.execute(
            select(Quiz.course_id, func.count(Attempt.id)).join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Quiz.course_id.in_(ids), Attempt.needs_grading.is_(True), Attempt.state == "submitted")
            .group_by(Quiz.course_id)):
        result[course_id].essays_waiting = waiting
    hardest = list(db.session.execute(
        select(QuizQuestion, Quiz, func.count(Response.id), func.sum((func.coalesce(Response.fraction, 0.0) < 0.5)
                                                                     .cast(db.Integer)))
        .join(Quiz, Quiz.id == QuizQuestion.quiz_id).join(Response, Response.question_id == QuizQuestion.id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Quiz.course_id.in_(ids), Attempt.state == "submitted", Response.fraction.is_not(None))
        .group_by(QuizQuestion.id, Quiz.id).having(func.count(Response.id) >= 3)
        .order_by((func.sum((func.coalesce(Response.fraction, 0.0) < 0.5).cast(db.Integer)) * 1.0
                   / func.count(Response.id)).desc(), QuizQuestion.id).limit(5)))
    return list(result.values()), hardest
