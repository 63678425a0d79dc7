"""Demo sessions for `lms demo`: full, half-full, with waitlists, a weekly series, past ones with attendance.

Rows are made directly (no e-mails for demo people); the seat counter is set to match. Idempotent: nothing is
added once any session exists.
"""
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import ATTENDED, CONFIRMED, NO_SHOW, WAITLISTED, Booking, Lab, LabSession
from lms.labs.times import zone

# lab slug, days from today, local start hour, hours, seats, bookings, trainer e-mail, title, topic, weekly repeats
PLAN = [
    ("cobot-cell", 3, 9, 3, 4, 6, "giulia.ferri@officina.example", "Cobot cell: first steps",
     "Human–robot collaboration", 1),
    ("cobot-cell", 10, 14, 3, 6, 3, "giulia.ferri@officina.example", "Cobot palletising in practice",
     "Human–robot collaboration", 1),
    ("iiot-condition-monitoring-bench", 5, 9, 3, 8, 4, "paolo.marchetti@officina.example",
     "Listening to a motor: vibration and temperature", "Condition monitoring", 1),
    ("iiot-condition-monitoring-bench", -7, 9, 3, 6, 5, "paolo.marchetti@officina.example",
     "Predictive maintenance bench", "Predictive maintenance", 1),
    ("digital-twin-station", 6, 10, 2, 5, 2, "elena.ricci@officina.example",
     "Virtual commissioning of a conveyor", "Digital twin", 4),
    ("ar-maintenance-demo", 12, 9, 3, 6, 0, None, "AR-guided gearbox service", "Augmented reality", 1),
    ("hr-analytics-dashboard-demo", 8, 15, 2, 10, 9, None, "An HR dashboard in an afternoon", "HR analytics", 1),
    ("hr-analytics-dashboard-demo", -14, 15, 2, 10, 7, None, "HR analytics: what the data says",
     "HR analytics", 1),
]


def demo_sessions(now: datetime | None = None, tz_name: str = "Europe/Rome") -> int:
    """Add the demo sessions and bookings; returns how many sessions were added (0 on a second run)."""
    if db.session.scalar(select(func.count(LabSession.id))):
        return 0
    now = now or utcnow()
    tz = zone(tz_name)
    learners = list(db.session.scalars(select(User).where(User.email.like("learner%@officina.example"))
                                       .order_by(User.email)))
    manager = User.by_email("manager@officina.example")
    coordinator = User.by_email("coordinator@officina.example")
    made = 0
    for slug, days, hour, hours, seats, booked, trainer_email, title, topic, repeats in PLAN:
        lab = db.session.scalar(select(Lab).where(Lab.slug == slug))
        if lab is None:
            continue
        day = (now.astimezone(tz) + timedelta(days=days)).date()
        series = uuid.uuid4().hex if repeats > 1 else None
        for week in range(repeats):
            start = datetime.combine(day + timedelta(weeks=week), time(hour), tzinfo=tz).astimezone(now.tzinfo)
            session = LabSession(lab=lab, title=title, topic=topic, starts_at=start,
                                 ends_at=start + timedelta(hours=hours), capacity=seats, series_id=series,
                                 trainer=User.by_email(trainer_email) if trainer_email else None,
                                 description=f"A hands-on session at **{lab.name}**. Bring safety shoes.",
                                 created_by_id=coordinator.id if coordinator else None,
                                 created_at=now - timedelta(days=20))
            db.session.add(session)
            db.session.flush()
            people = learners[week:week + max(0, booked - week)]
            for index, person in enumerate(people):
                status, position = (CONFIRMED, None) if index < seats else (WAITLISTED, index - seats + 1)
                if start < now and status == CONFIRMED:
                    status = NO_SHOW if index % 4 == 3 else ATTENDED
                db.session.add(Booking(session=session, user=person, status=status, position=position,
                                       booked_by=manager if index == 0 and manager else None,
                                       created_at=now - timedelta(days=10, hours=index)))
            session.confirmed_count = min(len(people), seats)
            made += 1
    db.session.flush()
    return made
