"""Who may see which quiz, attempt and question: one guard per object, used by the learner's and the
trainer's pages alike."""
from flask import abort, current_app, session
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from lms.auth.session_person import checked, session_ident
from lms.courses import access as course_access
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.quizzes import attempts, store
from lms.quizzes.models import Attempt, Quiz, QuizQuestion

# The course, the module and the quiz with its question rows, in one statement (Start and the intro page):
# the same rows as get_course_or_404, get_module_or_404 and store.get_quiz, whose checks then run on them.
_FINAL_QUIZ = (
    select(Course, Quiz).outerjoin(Quiz, (Quiz.course_id == Course.id) & (Quiz.key == store.FINAL_KEY))
    .where(Course.slug == bindparam("slug")).options(joinedload(Quiz.questions))
)
_MODULE_QUIZ = (
    select(Course, Module, Quiz)
    .outerjoin(Module, (Module.course_id == Course.id) & (Module.slug == bindparam("module_slug")))
    .outerjoin(Quiz, (Quiz.course_id == Course.id) & (Quiz.key == bindparam("key")))
    .where(Course.slug == bindparam("slug")).options(joinedload(Quiz.questions))
)


def get_quiz_or_404(slug: str, module_slug: str | None, for_user) -> Quiz:
    """The quiz of a module (or the final quiz, ``module_slug`` None) that ``for_user`` may see and that has
    questions. :raise 404: no such course, module or quiz, or one hidden from this person."""
    if module_slug:
        found = db.session.execute(_MODULE_QUIZ, {"slug": slug, "module_slug": module_slug,
                                                  "key": store.module_quiz_key(module_slug)}).unique().first()
        course, module, quiz = found if found is not None else (None, None, None)
    else:
        found = db.session.execute(_FINAL_QUIZ, {"slug": slug}).unique().first()
        course, quiz = found if found is not None else (None, None)
        module = None
    if course is None or not course_access.can_see_course(for_user, course):
        abort(404)
    if module_slug and (module is None or not course_access.can_see_module(for_user, module)):
        abort(404)
    if quiz is None or not quiz.live_questions:
        abort(404)
    # The quiz keeps the course and module just read: the session holds objects weakly, so once this returns
    # quiz.course and quiz.module would each cost a statement again (the start and intro pages ask for both).
    set_committed_value(quiz, "course", course)
    set_committed_value(quiz, "module", module)
    return quiz


# Built once: session.get with a loader option built a new statement (and its cache key) on every question page.
_ATTEMPT_WITH_QUIZ = select(Attempt).options(joinedload(Attempt.quiz)).where(Attempt.id == bindparam("id"))


def get_attempt_or_404(attempt_id: int, for_user, lock: bool = False, question_id=None) -> Attempt:
    """The attempt if ``for_user`` made it; ``lock``: read with its row lock, for a request that saves answers,
    with the row of ``question_id`` when the request names one (attempts.read_locked).
    :raise 404: no such attempt, or someone else's (not revealed)."""
    # Unlocked: for the take, submit and result pages, which all show the quiz: read with it, one statement.
    attempt = (attempts.read_locked(attempt_id, question_id) if lock
               else db.session.execute(_ATTEMPT_WITH_QUIZ, {"id": attempt_id}).scalar_one_or_none())
    if attempt is None or for_user is None or not for_user.is_authenticated or attempt.user_id != for_user.id:
        abort(404)
    return attempt


def get_attempt_to_save_or_404(attempt_id: int, question_id=None) -> Attempt:
    """The attempt an autosave names, locked, as get_attempt_or_404(..., lock=True) answers for the signed-in
    person, without loading them: the session's person, key and active account are checked in the statement
    that locks the attempt (an autosave needs nothing else of them, and the load was a fifth of its time).
    Anything else (no session, a session signed out, someone else's attempt, no such attempt) takes the usual
    way: Flask-Login's answer when nobody is signed in, else 404.
    :raise 404: as get_attempt_or_404."""
    ident = session_ident(session.get("_user_id"))
    if ident is not None:
        attempt = attempts.read_locked(attempt_id, question_id, owner=ident)
        if attempt is not None:
            checked(ident[0])
            return attempt
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    return get_attempt_or_404(attempt_id, current_user, lock=True, question_id=question_id)


def get_authored_quiz_or_404(slug: str, quiz_id: int, for_user) -> Quiz:
    """The quiz ``quiz_id`` of the course ``slug`` if ``for_user`` authors that course.

    :raise 404: no such course or quiz, or a quiz of another course. :raise 403: a course the person sees
        but does not author.
    """
    course = course_access.get_authored_course_or_404(slug, for_user)
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.course_id != course.id:
        abort(404)
    return quiz


def get_question_or_404(quiz: Quiz, question_id: int) -> QuizQuestion:
    """A live question of ``quiz`` (archived ones are history: not edited, moved or archived again)."""
    row = db.session.get(QuizQuestion, question_id)
    if row is None or row.quiz_id != quiz.id or row.archived_at is not None:
        abort(404)
    return row
