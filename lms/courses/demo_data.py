"""Demo enrolments for `lms demo`: the demo company's learners in Digitalization 101, at different points.

Called by lms.demo.create_demo. It never touches learner@officina.example, so that a person trying the demo
enrols and reads themselves. Repeatable: existing enrolments and completions are kept.
"""
from datetime import timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.courses import enrolment
from lms.courses.models import Course
from lms.dbtypes import utcnow
from lms.extensions import db

DEMO_COURSE = "digitalization-101"
DEMO_MANAGER = "manager@officina.example"


def demo_enrolments():
    course = db.session.scalar(select(Course).where(Course.slug == DEMO_COURSE, Course.is_published))
    manager = User.by_email(DEMO_MANAGER)
    if course is None or manager is None:
        return  # the content is not synced yet, or the demo accounts are missing
    now = utcnow()
    staff = [u for _org, people in enrolment.staff_of(manager) for u in people
             if u.email.startswith("learner") and u.email != "learner@officina.example"]
    live = course.live_modules
    for index, user in enumerate(staff):
        enrolled = enrolment.enrol(user, course, by=manager, now=now - timedelta(days=14))
        for day, module in enumerate(live[: index % (len(live) + 1)]):
            enrolment.mark_complete(user, module, now - timedelta(days=13 - day))
        done = live[: index % (len(live) + 1)]
        if done:
            enrolment.record_visit(enrolled, done[-1])
    db.session.flush()
