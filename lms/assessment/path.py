""""Start this path": enrol the people a manager picks in the courses of the chosen priorities, and book them a
seat at the next session of each demo lab, through the courses' and labs' own rules. Adds and flushes only.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.assessment import labs_link
from lms.assessment.models import Assessment
from lms.assessment.presenting import course_slugs_for
from lms.assessment.questionnaire import Questionnaire
from lms.assessment.rounds import FORBIDDEN, AssessmentError, can_manage
from lms.auth.models import User
from lms.courses import enrolment
from lms.courses.models import Course
from lms.extensions import db


@dataclass
class PathOutcome:
    enrolled: list = field(default_factory=list)  # (user, course) newly enrolled
    already_enrolled: int = 0
    booked: list = field(default_factory=list)  # (user, lab slug, booking)
    already_booked: int = 0
    labs_without_session: list = field(default_factory=list)  # lab slugs with no open session
    problems: list = field(default_factory=list)  # messages from the courses' and labs' rules


def lab_slugs_for(questionnaire: Questionnaire, dimension_slugs) -> list[str]:
    slugs = []
    for slug in dimension_slugs:
        dimension = questionnaire.dimension(slug)
        for ref in dimension.path.labs if dimension else ():
            if ref.slug not in slugs:
                slugs.append(ref.slug)
    return slugs


def start_path(assessment: Assessment, questionnaire: Questionnaire, *, by: User, people: list[User],
               dimension_slugs: list[str], book_labs: bool, now: datetime, locale=None) -> PathOutcome:
    """Enrol `people` (members of the assessment's company) and book lab seats for the chosen dimensions. The
    courses are the editions in `locale`'s language where they exist (the manager's language).

    :raise AssessmentError: `by` does not manage the company (403), someone is not a member of it (403), or no
        person or no known dimension was chosen (400).
    """
    company = assessment.organisation
    if not can_manage(by, company):
        raise AssessmentError(str(_l("Only a manager of %(org)s can start the path.", org=company.name)), FORBIDDEN)
    dimension_slugs = [s for s in dimension_slugs if questionnaire.dimension(s) is not None]
    if not people or not dimension_slugs:
        raise AssessmentError(str(_l("Choose at least one person and one priority.")))
    for person in people:
        if company.membership_of(person) is None:
            raise AssessmentError(str(_l("%(name)s is not a member of %(org)s.", name=person.name, org=company.name)),
                                  FORBIDDEN)
    outcome = PathOutcome()
    for slug in course_slugs_for(questionnaire, dimension_slugs, locale):
        course = db.session.scalar(select(Course).where(Course.slug == slug, Course.is_published))
        if course is None:
            continue
        for person in people:
            if enrolment.get_enrolment(person, course) is not None:
                outcome.already_enrolled += 1
                continue
            try:
                enrolment.enrol(person, course, by=by, now=now)
            except enrolment.EnrolmentError as exc:
                outcome.problems.append(str(exc))
            else:
                outcome.enrolled.append((person, course))
    if book_labs:
        for lab_slug in lab_slugs_for(questionnaire, dimension_slugs):
            for person in people:
                result, detail = labs_link.book_next_session(lab_slug, person, by=by, now=now)
                if result == "booked":
                    outcome.booked.append((person, lab_slug, detail))
                elif result == "already":
                    outcome.already_booked += 1
                elif result == "refused":
                    outcome.problems.append(detail)
                elif lab_slug not in outcome.labs_without_session:
                    outcome.labs_without_session.append(lab_slug)
    db.session.flush()
    return outcome


def company_people(assessment: Assessment) -> list[User]:
    """Active members of the company, by name: whom the manager can put on the path."""
    return sorted((m.user for m in assessment.organisation.memberships if m.user.is_active),
                  key=lambda u: u.name.lower())
