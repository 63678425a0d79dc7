"""Course completion in the database: gather the facts set-wise, apply lms.progress.rules, record the time.

Called where something that counts happens — a module completed (lms.courses.enrolment.mark_complete), a final
quiz passed (lms.quizzes.attempts), attendance marked (a commit hook here, since the labs feature changes a
booking's status in its own rules) — and after a content sync, which may add or drop requirements. Helpers
add and flush; the caller commits.
"""
from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, event, func, select, union_all
from sqlalchemy.exc import IntegrityError

from lms.courses.models import Course, Enrolment, Module, ModuleCompletion
from lms.extensions import db
from lms.labs.models import ATTENDED, Booking, Lab, LabSession
from lms.progress import rules
from lms.progress.models import Certificate
from lms.quizzes.models import Attempt, Quiz, QuizQuestion

FINAL_KEY = "final"


def live_module_filter():
    return and_(Module.is_published.is_(True), Module.archived_at.is_(None))


def done_modules_query():
    """(user_id, module_id, done_at) for every module done: marked complete, or its quiz passed."""
    marked = select(ModuleCompletion.user_id, ModuleCompletion.module_id,
                    ModuleCompletion.completed_at.label("done_at"))
    passed = (select(Attempt.user_id, Quiz.module_id, Attempt.submitted_at.label("done_at"))
              .join(Quiz, Quiz.id == Attempt.quiz_id)
              .where(Quiz.module_id.is_not(None), Attempt.passed.is_(True)))
    both = union_all(marked, passed).subquery()
    return (select(both.c.user_id, both.c.module_id, func.min(both.c.done_at).label("done_at"))
            .group_by(both.c.user_id, both.c.module_id))


def final_quiz_ids(course_ids) -> dict[int, int]:
    """course id -> its final quiz's id, for final quizzes that have at least one live question."""
    rows = db.session.execute(
        select(Quiz.course_id, Quiz.id).where(Quiz.course_id.in_(course_ids), Quiz.key == FINAL_KEY,
                                              select(QuizQuestion.id).where(QuizQuestion.quiz_id == Quiz.id,
                                                                            QuizQuestion.archived_at.is_(None))
                                              .exists()))
    return {course_id: quiz_id for course_id, quiz_id in rows}


def requirements_of(course_ids) -> dict[int, rules.CourseRequirements]:
    course_ids = list(course_ids)
    modules = defaultdict(set)
    for course_id, module_id in db.session.execute(
            select(Module.course_id, Module.id).where(Module.course_id.in_(course_ids), live_module_filter(),
                                                      Module.is_optional.is_(False))):
        modules[course_id].add(module_id)
    finals = final_quiz_ids(course_ids)
    labs = dict(db.session.execute(select(Course.id, Course.required_lab_slug).where(Course.id.in_(course_ids))).all())
    return {cid: rules.CourseRequirements(frozenset(modules[cid]), finals.get(cid), labs.get(cid))
            for cid in course_ids}


def facts_of(course_ids, user_ids=None) -> dict[tuple[int, int], rules.LearnerFacts]:
    """(user id, course id) -> LearnerFacts for the given courses (and people; None: everyone enrolled)."""
    course_ids = list(course_ids)
    facts = defaultdict(rules.LearnerFacts)
    done = done_modules_query().subquery()
    query = (select(done.c.user_id, Module.course_id, done.c.module_id, done.c.done_at)
             .join(Module, Module.id == done.c.module_id).where(Module.course_id.in_(course_ids)))
    if user_ids is not None:
        query = query.where(done.c.user_id.in_(user_ids))
    for user_id, course_id, module_id, done_at in db.session.execute(query):
        facts[(user_id, course_id)].modules_done[module_id] = done_at

    final = (select(Attempt.user_id, Quiz.course_id, func.min(Attempt.submitted_at))
             .join(Quiz, Quiz.id == Attempt.quiz_id)
             .where(Quiz.course_id.in_(course_ids), Quiz.key == FINAL_KEY, Attempt.passed.is_(True))
             .group_by(Attempt.user_id, Quiz.course_id))
    if user_ids is not None:
        final = final.where(Attempt.user_id.in_(user_ids))
    for user_id, course_id, passed_at in db.session.execute(final):
        facts[(user_id, course_id)].final_passed_at = passed_at

    attended = (select(Booking.user_id, Course.id, func.min(LabSession.starts_at))
                .join(LabSession, LabSession.id == Booking.session_id).join(Lab, Lab.id == LabSession.lab_id)
                .join(Course, Course.required_lab_slug == Lab.slug)
                .where(Course.id.in_(course_ids), Booking.status == ATTENDED)
                .group_by(Booking.user_id, Course.id))
    if user_ids is not None:
        attended = attended.where(Booking.user_id.in_(user_ids))
    for user_id, course_id, attended_at in db.session.execute(attended):
        facts[(user_id, course_id)].lab_attended_at = attended_at
    return facts


def recompute(course_ids, now: datetime, user_ids=None) -> list[Certificate]:
    """Bring Enrolment.completed_at in line with the rules for these courses (and people) and issue a
    certificate to each learner who completes a course for the first time. Returns the new certificates.

    A completion is dated when its last requirement was met; one that no longer holds (a module was added)
    is cleared, but a certificate once issued stays valid.
    """
    course_ids = list(course_ids)
    if not course_ids:
        return []
    requirements = requirements_of(course_ids)
    facts = facts_of(course_ids, user_ids)
    query = select(Enrolment).where(Enrolment.course_id.in_(course_ids))
    if user_ids is not None:
        query = query.where(Enrolment.user_id.in_(user_ids))
    newly_complete = []
    for enrolment in db.session.scalars(query):
        when = rules.completion_time(requirements[enrolment.course_id],
                                     facts.get((enrolment.user_id, enrolment.course_id), rules.LearnerFacts()), now)
        if when is None:
            enrolment.completed_at = None
        elif enrolment.completed_at is None:
            enrolment.completed_at = when
            newly_complete.append(enrolment)
    db.session.flush()
    return issue_certificates(newly_complete, now)


def record(user, course, now: datetime) -> list[Certificate]:
    """Something of `user` in `course` changed: recompute that one completion."""
    return recompute([course.id], now, user_ids=[user.id])


def issue_certificates(enrolments, now: datetime) -> list[Certificate]:
    if not enrolments:
        return []
    have = set(db.session.execute(select(Certificate.user_id, Certificate.course_id).where(
        Certificate.course_id.in_({e.course_id for e in enrolments}),
        Certificate.user_id.in_({e.user_id for e in enrolments}))).all())
    issued = []
    for enrolment in enrolments:
        if (enrolment.user_id, enrolment.course_id) in have:
            continue
        certificate = Certificate(user_id=enrolment.user_id, course_id=enrolment.course_id, code=rules.new_code(),
                                  learner_name=enrolment.user.name, course_title=enrolment.course.title,
                                  language=enrolment.course.language, completed_at=enrolment.completed_at,
                                  issued_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:  # issued meanwhile by a concurrent request
            continue
        issued.append(certificate)
    return issued


# Attendance: the labs feature sets Booking.status in its rules; a change is noted here and the completions
# of the courses that require that lab are recomputed just before the transaction commits.
_PENDING = "progress_attendance"


def _note_status_change(booking, value, old, _initiator):
    if value != old and booking.session_id is not None and booking.user_id is not None:
        db.session.info.setdefault(_PENDING, set()).add((booking.user_id, booking.session_id))


def _recompute_attendance(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    from lms.dbtypes import utcnow

    session_ids = {session_id for _user, session_id in pending}
    slugs = dict(session.execute(select(LabSession.id, Lab.slug).join(Lab, Lab.id == LabSession.lab_id)
                                 .where(LabSession.id.in_(session_ids))).all())
    courses = defaultdict(set)
    if slugs:
        for course_id, slug in session.execute(select(Course.id, Course.required_lab_slug)
                                               .where(Course.required_lab_slug.in_(set(slugs.values())))):
            for user_id, session_id in pending:
                if slugs.get(session_id) == slug:
                    courses[course_id].add(user_id)
    now = utcnow()
    for course_id, user_ids in courses.items():
        recompute([course_id], now, user_ids=sorted(user_ids))


def _forget(session, *_args):
    session.info.pop(_PENDING, None)


def init_app(app):
    # Listeners are process-wide; several apps (tests) must not add them twice.
    for target, name, listener in ((Booking.status, "set", _note_status_change),
                                   (db.session, "before_commit", _recompute_attendance),
                                   (db.session, "after_soft_rollback", _forget)):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
