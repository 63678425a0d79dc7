"""What the reading pages and the API show about several courses at once, in a constant number of queries.

The per-course rules in lms.courses.enrolment answer for one course with a query or two each; a page
listing courses would repeat them per course (the query count growing with the catalogue). These give the
same answers for a list of courses with one query per kind of row.
"""
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from lms.courses.models import Course, Enrolment, Module, ModuleCompletion
from lms.extensions import db


def with_modules():
    """Loader option: a course's modules in the same round trip, without their Markdown bodies (read only
    by the module page, which loads its one body when it needs it)."""
    return selectinload(Course.modules).options(defer(Module.body), defer(Module.summary))


def load_modules(courses, with_summaries: bool = False) -> None:
    """Load the modules of `courses` (ORM objects) with one query, without their bodies (and summaries, unless
    `with_summaries`), for those courses whose modules are not loaded yet. A module already in the session
    keeps what it has loaded."""
    missing = {c.id: c for c in courses if "modules" not in c.__dict__}
    if not missing:
        return
    found = {course_id: [] for course_id in missing}
    left_out = [defer(Module.body)] + ([] if with_summaries else [defer(Module.summary)])
    for module in db.session.scalars(select(Module).where(Module.course_id.in_(list(missing)))
                                     .order_by(Module.position).options(*left_out)):
        found[module.course_id].append(module)
    for course_id, modules in found.items():
        set_committed_value(missing[course_id], "modules", modules)


def enrolments_by_course(user, courses) -> dict[int, Enrolment]:
    """{course id: the person's enrolment} for those of `courses` they are enrolled in."""
    if user is None or not user.is_authenticated or not courses:
        return {}
    ids = [c.id for c in courses]
    rows = db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id.in_(ids)))
    return {row.course_id: row for row in rows}


def completed_by_course(user, courses) -> dict[int, set[int]]:
    """{course id: ids of its modules (any state) the person completed}."""
    result = {c.id: set() for c in courses}
    if user is None or not user.is_authenticated or not courses:
        return result
    rows = db.session.execute(
        select(Module.course_id, ModuleCompletion.module_id).join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == user.id, Module.course_id.in_(list(result))))
    for course_id, module_id in rows:
        result[course_id].add(module_id)
    return result


def progress(live_ids: list[int], done: set[int]) -> tuple[int, int, int]:
    """(done, total, percent) as enrolment.course_progress counts it: live modules only, percent rounded down."""
    total = len(live_ids)
    count = len(done & set(live_ids))
    return count, total, (count * 100) // total if total else 0


def resume(enrolment: Enrolment, live: list[Module], done: set[int]) -> Module | None:
    """enrolment.resume_module's answer from values already loaded."""
    last = next((m for m in live if m.id == enrolment.last_module_id), None)
    if last is not None:
        found = next((m for m in live[live.index(last):] if m.id not in done), None)
        if found is not None:
            return found
    return next((m for m in live if m.id not in done), None)


def progress_by_course(user, courses) -> dict[int, tuple[int, int, int]]:
    """{course id: (done, total, percent)} for the courses of `courses` the person is enrolled in."""
    enrolled = enrolments_by_course(user, courses)
    chosen = [c for c in courses if c.id in enrolled]
    load_modules(chosen)
    done = completed_by_course(user, chosen)
    return {c.id: progress([m.id for m in c.live_modules], done[c.id]) for c in chosen}


def resume_by_course(user, enrolments) -> dict[int, Module | None]:
    """{course id: enrolment.resume_module's answer} for the person's `enrolments`, in two statements."""
    ids = [e.course_id for e in enrolments]
    courses = list(db.session.scalars(select(Course).where(Course.id.in_(ids)).options(with_modules()))) if ids else []
    done = completed_by_course(user, courses)
    # e.course now comes from the session, loaded above, with its modules.
    return {e.course_id: resume(e, e.course.live_modules, done[e.course_id]) for e in enrolments}
