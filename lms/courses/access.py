"""Who may see and who may author a course or a module, and the guards the views and the API share.

Drafts (an unpublished course or module) and archived modules are visible only to the course's trainers
and admins. A trainer authors the courses whose `trainer_emails` hold their e-mail (creating a course in
the browser puts the creator's e-mail there); admins author every course.
"""
from flask import abort
from sqlalchemy import case, select
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from lms.courses.models import Course, Module
from lms.extensions import db


def can_author(user, course: Course) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_admin or (user.has_role("trainer") and course.is_taught_by(user))


def can_see_course(user, course: Course) -> bool:
    return course.is_published or can_author(user, course)


def can_see_module(user, module: Module) -> bool:
    if module.is_published and module.archived_at is None and module.course.is_published:
        return True
    return can_author(user, module.course)


def visible_modules(user, course: Course) -> list[Module]:
    """The syllabus this person sees: live modules, plus drafts for the course's authors (never archived)."""
    if can_author(user, course):
        return [m for m in course.modules if m.archived_at is None]
    return course.live_modules


def authored_courses(user) -> list[Course]:
    """Courses `user` may author, by title."""
    if user is None or not user.is_authenticated:
        return []
    courses = db.session.scalars(select(Course).order_by(Course.title))
    return [c for c in courses if can_author(user, c)]


def get_course_or_404(slug: str, for_user) -> Course:
    """The course named by `slug` if `for_user` may see it.

    :raise 404: no such course, or a draft the person may not see (a draft's existence is not revealed).
    """
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None or not can_see_course(for_user, course):
        abort(404)
    return course


def get_module_or_404(course: Course, module_slug: str, for_user) -> Module:
    """The module of `course` named `module_slug` if `for_user` may read it, else 404."""
    module = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == module_slug))
    if module is None or not can_see_module(for_user, module):
        abort(404)
    return module


def get_module_page_or_404(slug: str, module_slug: str, for_user) -> tuple[Course, Module]:
    """(course, module) as get_course_or_404 and get_module_or_404 answer, for the module page in two
    statements: the course, then its syllabus (every module without its body or summary) with the named
    module's body beside it.

    :raise 404: as those two do.
    """
    course = get_course_or_404(slug, for_user)
    rows = db.session.execute(
        select(Module, case((Module.slug == module_slug, Module.body)))
        .where(Module.course_id == course.id).order_by(Module.position)
        .options(defer(Module.body), defer(Module.summary))).all()
    if "modules" not in course.__dict__:
        set_committed_value(course, "modules", [m for m, _body in rows])
    module, body = next(((m, b) for m, b in rows if m.slug == module_slug), (None, None))
    if module is None or not can_see_module(for_user, module):
        abort(404)
    if "body" not in module.__dict__:  # a module already in the session keeps what it loaded
        set_committed_value(module, "body", body)
    return course, module


def get_authored_course_or_404(slug: str, for_user) -> Course:
    """The course named by `slug` if `for_user` may author it.

    :raise 404: no such course, or one the person may not see. :raise 403: visible but not theirs to edit.
    """
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None or not can_see_course(for_user, course):
        abort(404)
    if not can_author(for_user, course):
        abort(403)
    return course


def get_authored_module_or_404(course: Course, module_slug: str) -> Module:
    """A module (draft, live or archived) of a course the caller already authors."""
    module = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == module_slug))
    return module or abort(404)
