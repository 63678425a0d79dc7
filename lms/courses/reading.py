"""What the reading pages and the API show about several courses at once, in a constant number of queries.

The per-course rules in lms.courses.enrolment answer for one course with a query or two each; a page
listing courses would repeat them per course (the query count growing with the catalogue). These give the
same answers for a list of courses with one query per kind of row.
"""
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, defer, selectinload
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


def _user_id(user) -> int | None:
    """The person's id, None for a visitor (whose outer joins below then find no row)."""
    return user.id if user is not None and user.is_authenticated else None


# The statements below are built once, with parameters: building a statement and its cache key per request
# costs as much as running it on these small tables.

# The person's enrolments among some courses, each beside the ids of its modules they completed (NULL: not
# completed, or a course without modules): a row per enrolled course and module, each completion found by its
# (module, person) key. Joining the completions to their modules first made SQLite read every person's
# completions (84 ms for the catalogue with 20,000 learners in the demo).
_ENROLMENTS_AND_COMPLETIONS = (
    select(Enrolment.course_id, ModuleCompletion.module_id).select_from(Enrolment)
    .outerjoin(Module, Module.course_id == Enrolment.course_id)
    .outerjoin(ModuleCompletion, and_(ModuleCompletion.module_id == Module.id,
                                      ModuleCompletion.user_id == Enrolment.user_id))
    .where(Enrolment.user_id == bindparam("user_id"), Enrolment.course_id.in_(bindparam("ids", expanding=True)))
)


def progress_by_course(user, courses) -> dict[int, tuple[int, int, int]]:
    """{course id: (done, total, percent)} for the courses of `courses` the person is enrolled in: their
    enrolments and completions in one statement."""
    if _user_id(user) is None or not courses:
        return {}
    by_id = {c.id: c for c in courses}
    done: dict[int, set[int]] = {}
    for course_id, module_id in db.session.execute(_ENROLMENTS_AND_COMPLETIONS,
                                                   {"user_id": user.id, "ids": list(by_id)}):
        done.setdefault(course_id, set()).update([module_id] if module_id is not None else [])
    load_modules([by_id[course_id] for course_id in done])
    return {course_id: progress([m.id for m in by_id[course_id].live_modules], ids) for course_id, ids in done.items()}


_named = aliased(Course)
_root = select(func.coalesce(_named.translation_of, _named.slug)).where(_named.slug == bindparam("slug")).scalar_subquery()
# The course named :slug and its family (its original and the original's translations, as catalogue.editions_of
# finds them), each beside the person's enrolment.
_FAMILY = (
    select(Course, Enrolment)
    .outerjoin(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == bindparam("user_id")))
    .where(or_(Course.slug == bindparam("slug"), Course.slug == _root, Course.translation_of == _root))
    .order_by(Course.language, Course.id)
)


def course_and_editions(slug: str, user) -> tuple[Course | None, Enrolment | None, list[Course]]:
    """(the course named `slug`, the person's enrolment in it, its other published editions by language), in
    one statement. Whether the person may see the course is the caller's to check."""
    rows = db.session.execute(_FAMILY, {"slug": slug, "user_id": _user_id(user)}).all()
    course, enrolled = next(((c, e) for c, e in rows if c.slug == slug), (None, None))
    return course, enrolled, [c for c, _e in rows if c is not course and c.is_published]


# A course's modules (with summaries, without their Markdown), each beside the id of the person's completion.
_SYLLABUS = (
    select(Module, ModuleCompletion.module_id)
    .outerjoin(ModuleCompletion, and_(ModuleCompletion.module_id == Module.id,
                                      ModuleCompletion.user_id == bindparam("user_id")))
    .where(Module.course_id == bindparam("course_id")).order_by(Module.position).options(defer(Module.body))
)


def syllabus(course: Course, user) -> set[int]:
    """Load `course.modules` (not their Markdown) and answer the ids of those the person completed (any state,
    as enrolment.completed_module_ids), in one statement."""
    rows = db.session.execute(_SYLLABUS, {"course_id": course.id, "user_id": _user_id(user)}).all()
    if "modules" not in course.__dict__:
        set_committed_value(course, "modules", [module for module, _done in rows])
    return {done for _module, done in rows if done is not None}


def syllabus_key(modules, done: set[int]) -> tuple:
    """The values the course page's syllabus shows of `modules` (with which of them the person completed): its
    key in the fragment cache (lms.templating.cached_fragment), so an edit or a completion shows at once."""
    return tuple((m.slug, m.title, m.is_published, m.summary, tuple(m.effective_audience), m.minutes, m.id in done)
                 for m in modules)
