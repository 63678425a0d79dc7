"""The rules that must hold in the database, checked on SQLite and on PostgreSQL (schema from the models)."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from lms.auth import accounts
from lms.extensions import db
from lms.labs import booking as rules
from lms.labs.models import Booking, Lab, LabSession
from tests.labs.factories import NOW


def test_seats_waitlist_and_constraints(db_app):
    lab = Lab(slug="lab", name="Lab", coordinator_email="coord@example.com")
    session = LabSession(lab=lab, title="T", starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=2),
                         capacity=2)
    people = [accounts.create_user(f"p{i}@example.com", f"P{i}") for i in range(4)]
    db.session.add_all([lab, session])
    db.session.commit()
    made = []
    for person in people:
        made.append(rules.book_seat(session, person, by=person, now=NOW))
        db.session.commit()
    assert [(b.status, b.position) for b in made] == [("confirmed", None), ("confirmed", None),
                                                     ("waitlisted", 1), ("waitlisted", 2)]
    rules.cancel_booking(made[1], by=people[1], now=NOW)
    db.session.commit()
    db.session.expire_all()
    assert [(b.status, b.position) for b in made] == [("confirmed", None), ("cancelled", None),
                                                     ("confirmed", None), ("waitlisted", 1)]
    assert session.confirmed_count == 2

    # A second active booking for the same person and session: the partial unique index refuses it.
    db.session.add(Booking(session_id=session.id, user_id=people[0].id, status="waitlisted", position=5))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # More seats counted than the capacity, or a waitlisted booking without a position: CHECKs refuse them.
    session.confirmed_count = 3
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    made[3].position = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
