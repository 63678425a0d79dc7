"""Enrolment and reading progress: who may enrol whom, module completion, course progress, "resume".

Rules only: they add and flush, the caller commits. Uniqueness (one enrolment per person and course, one
completion per person and module) is held by the database; a concurrent duplicate is absorbed, not raised.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import User
from lms.courses.models import Course, Enrolment, Module, ModuleCompletion
from lms.extensions import db
from lms.orgs.models import Membership, Organisation
from lms.orgs.people import organisations_of


class EnrolmentError(ValueError):
    """A rule refused the request; the message is safe to show."""


# What anyone hears who asks to enrol a person they may not enrol, whoever that person is or is not.
NOT_YOURS = _l("You can enrol only members of the organisations you manage.")


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def can_enrol_others(manager: User, learner: User) -> bool:
    """Admins enrol anyone; a company manager enrols members of the organisations they manage."""
    if manager.is_admin:
        return True
    managed = {o.id for o in organisations_of(manager, managed_only=True)}
    if not managed:
        return False
    return any(o.id in managed for o in organisations_of(learner))


def staff_of(manager: User) -> list[tuple]:
    """[(organisation, [active users by name])] the manager may enrol: members of the organisations they manage;
    for an admin, of every organisation. Two statements however many organisations and people."""
    if manager.is_admin:
        organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    else:
        organisations = organisations_of(manager, managed_only=True)
    people = {o.id: [] for o in organisations}
    for organisation_id, user in db.session.execute(
            select(Membership.organisation_id, User).join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id.in_(list(people)), User.is_active.is_(True))):
        people[organisation_id].append(user)
    return [(o, sorted(people[o.id], key=lambda u: u.name.lower())) for o in organisations]


def enrol(user: User, course: Course, by: User | None = None, now: datetime | None = None) -> Enrolment:
    """Enrol `user` in `course`, by themselves (`by` None or the user) or by a manager or an admin.

    Returns the enrolment, the existing one if the person was already enrolled (enrolling twice is harmless).
    :raise EnrolmentError: the course is not published, `by` may not enrol `user` (NOT_YOURS, the same for every
        such person), or the account is inactive.
    """
    if now is None:
        raise TypeError("enrol() needs `now`")
    if not course.is_published:
        raise EnrolmentError(str(_l("This course is not published yet.")))
    if by is not None and by.id != user.id and not can_enrol_others(by, user):
        # The same words for an unknown, a foreign or a deactivated account: no name, nothing to enumerate.
        raise EnrolmentError(str(NOT_YOURS))
    if not user.is_active:
        raise EnrolmentError(str(_l("This account is deactivated.")))
    existing = get_enrolment(user, course)
    if existing is not None:
        return existing
    enrolment = Enrolment(user_id=user.id, course_id=course.id, enrolled_at=now, last_activity_at=now,
                          enrolled_by_id=by.id if by is not None and by.id != user.id else None)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:  # a second request (double click, two tabs) enrolled the person meanwhile
        return get_enrolment(user, course)
    return enrolment


def live_module_ids(course: Course) -> list[int]:
    return [m.id for m in course.live_modules]


def completed_module_ids(user: User, course: Course) -> set[int]:
    """Ids of the course's modules (any state) that `user` has completed."""
    if user is None or not user.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(ModuleCompletion.module_id).join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == user.id, Module.course_id == course.id)
    ))


def course_progress(user: User, course: Course) -> tuple[int, int, int]:
    """(done, total, percent) over the course's live modules; percent is rounded down, 100 only when all are done."""
    live = live_module_ids(course)
    total = len(live)
    done = len(completed_module_ids(user, course) & set(live))
    percent = (done * 100) // total if total else 0
    return done, total, percent


# The progress feature (which imports courses) keeps each course's completion and its figures, and registers
# them from its init_app: changed(course, now, user) recomputes after a change (user None: the course's
# requirements changed, so every enrolment), figures(course_id, user_ids) -> {user id: (done, total, percent)}.
PROGRESS: dict = {}


def register_progress(changed, figures) -> None:
    PROGRESS.update(changed=changed, figures=figures)


def completion_changed(course: Course, now: datetime, user: User | None = None) -> None:
    """Something that counts for `user`'s completion of `course` changed (every learner's, when None)."""
    PROGRESS["changed"](course, now, user)


def progress_figures(course_id: int, user_ids) -> dict[int, tuple[int, int, int]]:
    """{user id: (required modules done, required modules, percent)} of those of `user_ids` enrolled."""
    return PROGRESS["figures"](course_id, user_ids)


# Rules of other features that can keep a module from being completed by hand: callables (course, module) ->
# None, or (why, url of the page that completes it). The quiz feature registers one: a module with a quiz is
# completed by passing it.
COMPLETION_GATES: list = []


def register_completion_gate(gate) -> None:
    if gate not in COMPLETION_GATES:  # several apps in one process (tests) register once
        COMPLETION_GATES.append(gate)


def completion_gate(course: Course, module: Module):
    """(why, url) when another feature completes `module` instead of the learner's "done" button, else None."""
    return next((found for gate in COMPLETION_GATES if (found := gate(course, module)) is not None), None)


def mark_complete(user: User, module: Module, now: datetime, via: str = "manual") -> ModuleCompletion:
    """Record that `user` completed `module` (idempotent: the first completion is kept).

    The learner must be enrolled in the module's course. The course's completion is then recomputed (by the
    progress feature, through `completion_changed`: required modules, final quiz, lab), which may date
    `completed_at` and issue a certificate.
    :raise EnrolmentError: not enrolled, or the module is not live.
    """
    course = module.course
    enrolment = get_enrolment(user, course)
    if enrolment is None:
        raise EnrolmentError(str(_l("Enrol in the course first: then your progress is kept.")))
    if not module.is_published or module.archived_at is not None:
        raise EnrolmentError(str(_l("This module is not available.")))
    completion = db.session.scalar(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id)
    )
    if completion is None:
        completion = ModuleCompletion(user_id=user.id, module_id=module.id, completed_at=now, via=via)
        try:
            with db.session.begin_nested():
                db.session.add(completion)
        except IntegrityError:  # completed meanwhile by another request
            completion = db.session.scalar(select(ModuleCompletion).where(
                ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id))
    db.session.flush()
    completion_changed(course, now, user)
    return completion


def record_visit(enrolment: Enrolment | None, module: Module) -> bool:
    """Remember `module` as the place to resume in `enrolment` (the reader's in the module's course; None: not
    enrolled, nothing to remember); True when something changed."""
    if enrolment is None or enrolment.last_module_id == module.id:
        return False
    enrolment.last_module = module  # the relationship, not only its column: a loaded last_module follows
    db.session.flush()
    return True


def resume_module(user: User, course: Course) -> Module | None:
    """Where `user` should carry on: the last live module they opened if they have not completed it, else the
    first not completed after it, else the first not completed at all.

    None when the person is not enrolled or has completed every live module.
    """
    enrolment = get_enrolment(user, course)
    if enrolment is None:
        return None
    live = course.live_modules
    done = completed_module_ids(user, course)
    last = enrolment.last_module
    if last is not None and last in live:
        after_last = live[live.index(last):]
        found = next((m for m in after_last if m.id not in done), None)
        if found is not None:
            return found
    return next((m for m in live if m.id not in done), None)


def enrolments_of(user: User) -> list[Enrolment]:
    """The person's enrolments in published courses, most recent first."""
    return list(db.session.scalars(
        select(Enrolment).join(Course).where(Enrolment.user_id == user.id, Course.is_published)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    ))
