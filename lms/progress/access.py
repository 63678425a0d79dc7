"""Whose progress the caller may see — one module for pages and API alike.

- Admins: every organisation and learner.
- ITS staff: the ITS foundations they belong to (members and cohorts), nothing of another foundation.
- Company managers: the companies they manage (membership role "manager"), i.e. their staff.
- Trainers: the learners of the courses they teach, in those courses only (get_taught_course_or_404).
- Everyone: themselves.
Anything else is a 404, so the existence of another organisation's people is never revealed.
"""
from flask import abort
from sqlalchemy import select

from lms.auth.models import User, UserRole
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.ids import MAX_ID, get_or_404
from lms.orgs import people
from lms.orgs.models import Cohort, Membership, Organisation


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def visible_organisations(user) -> list[Organisation]:
    """The organisations whose people's progress `user` may see, by name."""
    if not _signed_in(user):
        return []
    query = select(Organisation).order_by(Organisation.name)
    if user.is_admin:
        return list(db.session.scalars(query))
    conditions = []
    if user.has_role("its_staff"):
        conditions.append((Organisation.kind == "its") & Organisation.id.in_(people.organisation_ids_of(user)))
    if user.has_role("company_manager"):
        conditions.append(Organisation.id.in_(people.organisation_ids_of(user, role="manager")))
    if not conditions:
        return []
    condition = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    return list(db.session.scalars(query.where(condition)))


def own_organisations(user) -> list[Organisation]:
    """For GET /organisations: admins all; others the organisations they belong to."""
    if not _signed_in(user):
        return []
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        query = query.where(Organisation.id.in_(people.organisation_ids_of(user)))
    return list(db.session.scalars(query))


def can_see_organisation(user, organisation: Organisation) -> bool:
    return any(o.id == organisation.id for o in visible_organisations(user))


def get_organisation_or_404(organisation_id: int, for_user) -> Organisation:
    """:raise 404: no such organisation, or one whose progress `for_user` may not see."""
    return get_or_404(Organisation, organisation_id, lambda row: can_see_organisation(for_user, row))


def get_cohort_or_404(organisation: Organisation, cohort_id: int | None) -> Cohort | None:
    """A cohort of `organisation` named by a filter; None when none is named. :raise 404: another's cohort."""
    if cohort_id is None:
        return None
    return get_or_404(Cohort, cohort_id, lambda row: row.organisation_id == organisation.id)


def organisation_scope(organisation: Organisation):
    """SELECT of the ids of the organisation's learners: its members with the learner role (its staff, trainers
    and managers who do not learn are not in its reports). A join, not IN: the database walks the members and
    looks each one's role up in the (user_id, role) unique index instead of listing every learner of the
    platform first. No duplicates: a person is a member once and has a role once."""
    return (select(Membership.user_id)
            .join(UserRole, (UserRole.user_id == Membership.user_id) & (UserRole.role == "learner"))
            .where(Membership.organisation_id == organisation.id))


def get_learner_in_organisation_or_404(organisation: Organisation, user_id: int) -> User:
    if not 0 < user_id <= MAX_ID:
        abort(404)
    member = db.session.scalar(select(Membership).where(Membership.organisation_id == organisation.id,
                                                        Membership.user_id == user_id))
    if member is None:
        abort(404)
    return member.user


def taught_courses(user) -> list[Course]:
    """Courses `user` teaches (named in the course's trainers); admins see every course."""
    if not _signed_in(user):
        return []
    courses = db.session.scalars(select(Course).order_by(Course.title)).all()
    return [c for c in courses if user.is_admin or c.is_taught_by(user)]


def get_taught_course_or_404(slug: str, for_user) -> Course:
    """:raise 404: no such course, or one `for_user` does not teach."""
    course = db.session.scalar(select(Course).where(Course.slug == (slug or "")[:100]))
    if course is None or not (_signed_in(for_user) and (for_user.is_admin or course.is_taught_by(for_user))):
        abort(404)
    return course


def course_scope(course: Course):
    """SELECT of the ids of the course's learners."""
    return select(Enrolment.user_id).where(Enrolment.course_id == course.id)


def get_course_learner_or_404(course: Course, user_id: int) -> User:
    if not 0 < user_id <= MAX_ID:
        abort(404)
    row = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user_id))
    if row is None:
        abort(404)
    return row.user


def self_scope(user):
    return select(User.id).where(User.id == user.id)
