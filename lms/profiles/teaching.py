"""What a person teaches, for their profile page: courses and coming lab sessions."""
from datetime import datetime

from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db


def courses_taught(user: User) -> list:
    """Published courses that name the person's e-mail among their trainers, by title."""
    from lms.courses.models import Course

    courses = db.session.scalars(select(Course).where(Course.is_published.is_(True)).order_by(Course.title))
    # trainer_emails is a JSON list; the catalogue is small, so filtering here stays portable across databases.
    return [c for c in courses if user.email in (c.trainer_emails or [])]


def upcoming_lab_sessions(user: User, now: datetime, limit: int = 5) -> list:
    """The person's next lab sessions as trainer (not cancelled), soonest first."""
    from lms.labs.models import LabSession

    return list(db.session.scalars(
        select(LabSession).where(LabSession.trainer_id == user.id, LabSession.cancelled_at.is_(None),
                                 LabSession.starts_at >= now).order_by(LabSession.starts_at).limit(limit)))


def teaches_at_its(user: User) -> bool:
    """Member of an ITS foundation, or holding the its_staff role."""
    from lms.orgs.models import Membership

    if user.has_role("its_staff"):
        return True
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    return any(m.organisation.is_its for m in memberships)
