"""Progress's part of the content sync: after every loader has written, recompute completion of the synced
courses, since added or removed modules, a new final quiz or a lab requirement change who has completed what."""
from datetime import datetime

from sqlalchemy import select

from lms.content.loading import Loader
from lms.courses.models import Course
from lms.extensions import db
from lms.progress import completion


def apply(content, report, *, force: bool, now: datetime):
    if report.changed:
        slugs = [course.slug for course in content["courses"]]
        completion.recompute(list(db.session.scalars(select(Course.id).where(Course.slug.in_(slugs)))), now)


LOADER = Loader("completion", order=90, apply=apply)  # last: it needs everything the others wrote
