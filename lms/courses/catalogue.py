"""Queries over published courses."""
from sqlalchemy import select

from lms.courses.models import Course
from lms.extensions import db


def featured_courses(limit: int = 6) -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.is_published).order_by(Course.title).limit(limit)))
