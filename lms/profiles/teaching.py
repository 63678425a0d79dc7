"""What a person teaches, for their profile page: courses now, lab sessions once the labs feature lands."""
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
    """The person's next lab sessions as trainer, soonest first; [] until lms.labs.models has LabSession.

    Written against the columns the labs feature is expected to have (trainer_id or trainer_email, starts_at,
    and cancelled_at or status); fill in here once it lands.
    """
    try:
        from lms.labs.models import LabSession
    except ImportError:
        return []
    query = select(LabSession)
    if hasattr(LabSession, "trainer_id"):
        query = query.where(LabSession.trainer_id == user.id)
    elif hasattr(LabSession, "trainer_email"):
        query = query.where(LabSession.trainer_email == user.email)
    else:
        return []
    if hasattr(LabSession, "cancelled_at"):
        query = query.where(LabSession.cancelled_at.is_(None))
    elif hasattr(LabSession, "status"):
        query = query.where(LabSession.status != "cancelled")
    query = query.where(LabSession.starts_at >= now).order_by(LabSession.starts_at).limit(limit)
    return list(db.session.scalars(query))


def teaches_at_its(user: User) -> bool:
    """Member of an ITS foundation, or holding the its_staff role."""
    from lms.orgs.models import Membership

    if user.has_role("its_staff"):
        return True
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    return any(m.organisation.is_its for m in memberships)
