"""Course completion in the database: gather the facts set-wise, apply lms.progress.rules, record the time.

Called where something that counts happens — a module completed (lms.courses.enrolment.mark_complete), a final
quiz passed (lms.quizzes.attempts), attendance marked (a commit hook here, since the labs feature changes a
booking's status in its own rules) — and after a content sync, which may add or drop requirements. Helpers
add and flush; the caller commits.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, event, func, insert, select, union_all, update
from sqlalchemy.exc import IntegrityError

from lms.auth.models import User
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


def quiz_stats_of(course_ids, user_ids=None) -> dict[tuple[int, int], tuple]:
    """(user id, course id) -> (mean of best scores, final quiz best, attempts, last submission)."""
    query = (select(Attempt.user_id, Quiz.course_id, Quiz.key, func.max(Attempt.score), func.count(Attempt.id),
                    func.max(Attempt.submitted_at))
             .join(Quiz, Quiz.id == Attempt.quiz_id).where(Quiz.course_id.in_(list(course_ids)))
             .group_by(Attempt.user_id, Quiz.course_id, Quiz.id, Quiz.key))
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(user_ids))
    gathered = defaultdict(lambda: [[], None, 0, None])
    for user_id, course_id, key, best, tries, last in db.session.execute(query):
        stats = gathered[(user_id, course_id)]
        if best is not None:
            stats[0].append(best)
            if key == FINAL_KEY:
                stats[1] = best
        stats[2] += tries
        if last is not None and (stats[3] is None or last > stats[3]):
            stats[3] = last
    return {key: (sum(b) / len(b) if b else None, final, tries, last)
            for key, (b, final, tries, last) in gathered.items()}


FIGURES = ("completed_at", "modules_done", "quiz_best", "final_best", "quiz_attempts", "last_activity_at")


def recompute(course_ids, now: datetime, user_ids=None) -> list[Certificate]:
    """Bring each enrolment's completion and figures (modules done, best scores, attempts, last activity) in
    line with the rules for these courses (and people) and issue a certificate to each learner who completes
    a course for the first time. Returns the new certificates.

    A completion is dated when its last requirement was met; one that no longer holds (a module was added)
    is cleared, but a certificate once issued stays valid. Set-wise: a fixed number of statements, however
    many enrolments change.
    """
    course_ids = list(course_ids)
    if not course_ids:
        return []
    requirements = requirements_of(course_ids)
    facts = facts_of(course_ids, user_ids)
    quiz_stats = quiz_stats_of(course_ids, user_ids)
    query = select(Enrolment.id, Enrolment.user_id, Enrolment.course_id, Enrolment.enrolled_at,
                   *(getattr(Enrolment, name) for name in FIGURES)).where(Enrolment.course_id.in_(course_ids))
    if user_ids is not None:
        query = query.where(Enrolment.user_id.in_(user_ids))
    changes, newly_complete = [], []
    for row in db.session.execute(query).all():
        key = (row.user_id, row.course_id)
        required = requirements[row.course_id]
        learner = facts.get(key, rules.LearnerFacts())
        when = rules.completion_time(required, learner, now)
        completed_at = row.completed_at if when is not None and row.completed_at is not None else when
        best, final, tries, last_try = quiz_stats.get(key, (None, None, 0, None))
        moments = [row.enrolled_at, *learner.modules_done.values(), *([last_try] if last_try else [])]
        figures = {"completed_at": completed_at,
                   "modules_done": len(required.required_module_ids & learner.modules_done.keys()),
                   "quiz_best": round(best, 6) if best is not None else None, "final_best": final,
                   "quiz_attempts": tries, "last_activity_at": max(moments)}
        if any(getattr(row, name) != value for name, value in figures.items()):
            changes.append({"id": row.id, **figures})
        if when is not None and row.completed_at is None:
            newly_complete.append(Completed(row.user_id, row.course_id, when))
    if changes:
        db.session.execute(update(Enrolment), changes)  # bulk UPDATE by primary key
        changed = {c["id"] for c in changes}
        for obj in list(db.session.identity_map.values()):  # loaded rows must not show the old values
            if isinstance(obj, Enrolment) and obj.id in changed:
                db.session.expire(obj, list(FIGURES))
    return issue_certificates(newly_complete, now)


@dataclass
class Completed:
    user_id: int
    course_id: int
    completed_at: datetime


def record(user, course, now: datetime) -> list[Certificate]:
    """Something of `user` in `course` changed: recompute that one completion; a certificate it issues is
    e-mailed to the learner (after the commit)."""
    return _recompute_and_notify([course.id], now, user_ids=[user.id])


def requirements_changed(course, now: datetime) -> list[Certificate]:
    """What `course` requires changed in the browser (a module published or made a draft, the course published
    or withdrawn): recompute every enrolment of it now, as a content sync does, instead of at the next sync.
    Certificates it issues are e-mailed (after the commit)."""
    return _recompute_and_notify([course.id], now)


def changed(course, now: datetime, user=None) -> list[Certificate]:
    """Registered with courses (`courses.enrolment.completion_changed`), which courses and quizzes call: `user`'s
    completion of `course` (`record`), or every enrolment's when user is None (`requirements_changed`)."""
    return record(user, course, now) if user is not None else requirements_changed(course, now)


def _recompute_and_notify(course_ids, now: datetime, user_ids=None) -> list[Certificate]:
    from lms.progress.notify import notify_certificates

    issued = recompute(course_ids, now, user_ids=user_ids)
    notify_certificates(issued)
    return issued


def issue_certificates(enrolments, now: datetime) -> list[Certificate]:
    """A certificate for each of these (just completed) enrolments that has none yet; names and titles are read
    in one statement each, so a sync or demo completing thousands costs a handful of statements."""
    if not enrolments:
        return []
    user_ids = {e.user_id for e in enrolments}
    course_ids = {e.course_id for e in enrolments}
    have = set(db.session.execute(select(Certificate.user_id, Certificate.course_id).where(
        Certificate.course_id.in_(course_ids), Certificate.user_id.in_(user_ids))).all())
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_(course_ids)))}
    issued = [{"user_id": e.user_id, "course_id": e.course_id, "code": rules.new_code(),
               "learner_name": names[e.user_id], "course_title": courses[e.course_id].title,
               "language": courses[e.course_id].language, "completed_at": e.completed_at, "issued_at": now}
              for e in enrolments if (e.user_id, e.course_id) not in have]
    if not issued:
        return []
    table = Certificate.__table__
    try:
        with db.session.begin_nested():
            db.session.execute(insert(table), issued)  # one executemany, however many
    except IntegrityError:  # one was issued meanwhile by a concurrent request: add them one by one
        kept = []
        for values in issued:
            try:
                with db.session.begin_nested():
                    db.session.execute(insert(table), [values])
                kept.append(values)
            except IntegrityError:
                continue
        issued = kept
    return [Certificate(**values) for values in issued]


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
