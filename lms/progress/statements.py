"""The xAPI export of a scope: course completions and graded quiz attempts as statements, oldest first,
paged in SQL (one count and one page statement, whatever the size of the scope).

Both work on the events' keys alone (kind, time, row id): counting and ordering the scope's tens of thousands
of events needs no names or titles, so only the page's events are joined to people, courses and quizzes."""
from sqlalchemy import Integer, cast, func, literal, null, select, union_all

from lms.auth.models import User
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.progress import xapi
from lms.quizzes.models import Attempt, Quiz


def _keys(scope):
    """(kind, at, row_id) of the scope's completions and graded attempts."""
    completions = (select(literal("completed").label("kind"), Enrolment.completed_at.label("at"),
                          Enrolment.id.label("row_id"))
                   .where(Enrolment.user_id.in_(scope), Enrolment.completed_at.is_not(None)))
    attempts = (select(literal("attempt"), Attempt.submitted_at, Attempt.id)
                .where(Attempt.user_id.in_(scope), Attempt.state == "submitted", Attempt.passed.is_not(None)))
    return union_all(completions, attempts).subquery()


def count(scope) -> int:
    return db.session.scalar(select(func.count()).select_from(_keys(scope)))


def page(scope, base_url: str, page: int, per_page: int) -> list[dict]:
    keys = _keys(scope)
    chosen = (select(keys).order_by(keys.c.at, keys.c.kind, keys.c.row_id)
              .limit(per_page).offset((page - 1) * per_page).cte("chosen"))
    # Every enrolment has its person and course, every attempt its quiz: the joins add names, never drop a row.
    completions = (select(chosen, User.name, User.email, Course.slug, Course.title, Course.language,
                          cast(null(), Quiz.key.type).label("quiz_key"), cast(null(), Quiz.title.type).label("quiz_title"),
                          cast(null(), Integer).label("number"), cast(null(), Attempt.score.type).label("score"),
                          cast(null(), Attempt.passed.type).label("passed"))
                   .join(Enrolment, Enrolment.id == chosen.c.row_id).join(User, User.id == Enrolment.user_id)
                   .join(Course, Course.id == Enrolment.course_id).where(chosen.c.kind == "completed"))
    attempts = (select(chosen, User.name, User.email, Course.slug, Course.title, Course.language, Quiz.key, Quiz.title,
                       Attempt.number, Attempt.score, Attempt.passed)
                .join(Attempt, Attempt.id == chosen.c.row_id).join(User, User.id == Attempt.user_id)
                .join(Quiz, Quiz.id == Attempt.quiz_id).join(Course, Course.id == Quiz.course_id)
                .where(chosen.c.kind == "attempt"))
    both = union_all(completions, attempts).subquery()
    statements = []
    for kind, at, _id, name, email, slug, title, language, key, quiz_title, number, score, passed in db.session.execute(
            select(both).order_by(both.c.at, both.c.kind, both.c.row_id)):
        if kind == "completed":
            statements.append(xapi.completion_statement(base_url, name=name, email=email, course_slug=slug,
                                                        course_title=title, language=language, completed_at=at))
        else:
            statements.append(xapi.quiz_statement(base_url, name=name, email=email, course_slug=slug, quiz_key=key,
                                                  quiz_title=quiz_title, language=language, attempt_number=number,
                                                  score=score or 0.0, passed=bool(passed), submitted_at=at))
    return statements
