"""The xAPI export of a scope: course completions and graded quiz attempts as statements, oldest first,
paged in SQL (one UNION statement and one count, whatever the size of the scope)."""
from sqlalchemy import Integer, cast, func, literal, null, select, union_all

from lms.auth.models import User
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.progress import xapi
from lms.quizzes.models import Attempt, Quiz


def _union(scope):
    completions = (select(literal("completed").label("kind"), User.name, User.email, Course.slug, Course.title,
                          Course.language, cast(null(), Quiz.key.type).label("quiz_key"),
                          cast(null(), Quiz.title.type).label("quiz_title"), cast(null(), Integer).label("number"),
                          cast(null(), Attempt.score.type).label("score"), cast(null(), Attempt.passed.type).label("passed"),
                          Enrolment.completed_at.label("at"), Enrolment.id.label("row_id"))
                   .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
                   .where(Enrolment.user_id.in_(scope), Enrolment.completed_at.is_not(None)))
    attempts = (select(literal("attempt"), User.name, User.email, Course.slug, Course.title, Course.language,
                       Quiz.key, Quiz.title, Attempt.number, Attempt.score, Attempt.passed, Attempt.submitted_at,
                       Attempt.id)
                .join(User, User.id == Attempt.user_id).join(Quiz, Quiz.id == Attempt.quiz_id)
                .join(Course, Course.id == Quiz.course_id)
                .where(Attempt.user_id.in_(scope), Attempt.state == "submitted", Attempt.passed.is_not(None)))
    return union_all(completions, attempts).subquery()


def count(scope) -> int:
    return db.session.scalar(select(func.count()).select_from(_union(scope)))


def page(scope, base_url: str, page: int, per_page: int) -> list[dict]:
    both = _union(scope)
    query = (select(both).order_by(both.c.at, both.c.kind, both.c.row_id)
             .limit(per_page).offset((page - 1) * per_page))
    statements = []
    for kind, name, email, slug, title, language, key, quiz_title, number, score, passed, at, _id in db.session.execute(query):
        if kind == "completed":
            statements.append(xapi.completion_statement(base_url, name=name, email=email, course_slug=slug,
                                                        course_title=title, language=language, completed_at=at))
        else:
            statements.append(xapi.quiz_statement(base_url, name=name, email=email, course_slug=slug, quiz_key=key,
                                                  quiz_title=quiz_title, language=language, attempt_number=number,
                                                  score=score or 0.0, passed=bool(passed), submitted_at=at))
    return statements
