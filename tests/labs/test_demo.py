"""`lms demo` adds lab sessions (full with a waitlist, half-full, past with attendance), once; trainers'
profiles list their coming sessions."""
from sqlalchemy import func, select

from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import Booking, LabSession
from lms.profiles.teaching import upcoming_lab_sessions


def test_demo_sessions(app, runner):
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    assert runner.invoke(args=["demo", "--learners", "12"]).exit_code == 0
    sessions = list(db.session.scalars(select(LabSession)))
    now = utcnow()
    assert any(s.starts_at < now for s in sessions) and any(s.starts_at > now for s in sessions)
    full = [s for s in sessions if s.starts_at > now and not s.seats_left and s.waitlist]
    half = [s for s in sessions if s.starts_at > now and 0 < s.confirmed_count < s.capacity]
    assert full and half
    statuses = set(db.session.scalars(select(Booking.status)))
    assert {"confirmed", "waitlisted", "attended", "no_show"} <= statuses
    for s in sessions:  # the seat counter matches the bookings holding a seat
        assert s.confirmed_count == len(s.seat_holders)
        assert [b.position for b in s.waitlist] == list(range(1, len(s.waitlist) + 1))
    assert len({s.series_id for s in sessions if s.series_id}) == 1
    count = db.session.scalar(select(func.count(LabSession.id)))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(LabSession.id))) == count

    trainer = User.by_email("giulia.ferri@officina.example")
    coming = upcoming_lab_sessions(trainer, now)
    assert coming and all(s.trainer_id == trainer.id and s.starts_at >= now for s in coming)
    assert [s.starts_at for s in coming] == sorted(s.starts_at for s in coming)
