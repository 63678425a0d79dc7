"""Factories for the labs tests: labs, sessions and people, made directly in the database."""
from datetime import UTC, datetime, timedelta

import pytest

from lms.auth import accounts
from lms.extensions import db
from lms.labs.models import Lab, LabSession

# The rules' clock for the labs tests: after today, because after each commit the outbox sends what is due by the
# real clock, and a reminder queued for a session in the past would be sent at once instead of waiting.
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def make_lab(app):
    counter = iter(range(1, 10_000))

    def make(slug=None, coordinator="coord@example.com", **values):
        n = next(counter)
        lab = Lab(slug=slug or f"lab-{n}", name=values.pop("name", f"Lab {n}"), venue="Venue",
                  address="Via Roma 1, Bologna", coordinator_email=coordinator, **values)
        db.session.add(lab)
        db.session.flush()
        return lab

    return make


@pytest.fixture
def make_person(app):
    counter = iter(range(1, 10_000))

    def make(name=None, roles=("learner",), email=None, **values):
        n = next(counter)
        user = accounts.create_user(email or f"person{n}@example.com", name or f"Person {n}", roles=roles,
                                    password=None)
        for key, value in values.items():
            setattr(user, key, value)
        db.session.flush()
        return user

    return make


@pytest.fixture
def make_session(app, make_lab):
    def make(lab=None, capacity=2, starts_at=None, hours=2, **values):
        starts_at = starts_at or NOW + timedelta(days=7)
        session = LabSession(lab=lab if lab is not None else make_lab(), title=values.pop("title", "Cobot basics"),
                             starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=capacity,
                             **values)
        db.session.add(session)
        db.session.flush()
        return session

    return make
