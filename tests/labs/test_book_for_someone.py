"""Booking for someone else by e-mail address or id never tells a stranger whether an account exists.

The rule (lms/labs/booking.py: person_to_book) over the form and the API: an address with an account the caller
may not book for, an address with no account, and an id with or without an account all get one answer that names
nobody; only the session's coordinator, who may book anyone, hears that no account has the address.
"""
from datetime import timedelta

import pytest

from lms.auth import accounts
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs import booking as rules
from lms.labs.errors import LabError
from lms.labs.models import Booking
from lms.orgs.models import Organisation
from lms.orgs.people import add_member
from tests.conftest import PASSWORD


@pytest.fixture
def world(app, create_user, make_session):
    coordinator = create_user("coord@example.com", "Carla Coord", roles=("coordinator",))
    manager = create_user("mara@example.com", "Mara Manager", roles=("company_manager",))
    staff = create_user("staff@example.com", "Sam Staff")
    stranger = create_user("secret.person@example.com", "Secret Person")
    learner = create_user("lea@example.com", "Lea Learner")
    org = Organisation(name="Acme", kind="company")
    db.session.add(org)
    db.session.flush()
    add_member(org, manager, "manager")
    add_member(org, staff)
    session = make_session(capacity=5, starts_at=utcnow() + timedelta(days=5), title="Twin demo")
    db.session.commit()
    return {"coordinator": coordinator, "manager": manager, "staff": staff, "stranger": stranger,
            "learner": learner, "session": session}


def test_the_rule_answers_alike_for_an_unknown_and_a_foreign_account(world):
    session, manager = world["session"], world["manager"]
    assert rules.person_to_book(manager, session, email="STAFF@example.com") == world["staff"]
    answers = []
    for named in ({"email": "secret.person@example.com"}, {"email": "no.account@example.com"},
                  {"user_id": world["stranger"].id}, {"user_id": 987654}, {"user_id": 2**40}):
        for by in (manager, world["learner"]):
            with pytest.raises(LabError) as refused:
                rules.person_to_book(by, session, **named)
            answers.append((refused.value.status, str(refused.value)))
    assert set(answers) == {(403, str(rules.NOT_YOURS))}
    assert "Secret" not in str(rules.NOT_YOURS)
    # The coordinator of the session may book anyone, so they are told that no account has the address.
    assert rules.person_to_book(world["coordinator"], session, email="no.account@example.com") is None
    assert rules.person_to_book(world["coordinator"], session, email="secret.person@example.com") == world["stranger"]


def _login(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _answer(response):
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["manager", "learner"])
def test_the_booking_form_answers_alike(client, world, who):
    session = world["session"]
    _login(client, world[who].email)
    url = f"/labs/sessions/{session.id}/book"
    exists = _answer(client.post(url, data={"email": "secret.person@example.com"}, follow_redirects=True))
    missing = _answer(client.post(url, data={"email": "no.account@example.com"}, follow_redirects=True))
    by_id = _answer(client.post(url, data={"user_id": world["stranger"].id}, follow_redirects=True))
    no_id = _answer(client.post(url, data={"user_id": "987654"}, follow_redirects=True))
    assert exists == missing == by_id == no_id
    status, page = exists
    assert status == 200 and "only for members of the organisations you manage" in page
    assert "Secret Person" not in page and "No account has" not in page
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_the_coordinator_still_hears_of_an_unknown_address(client, world):
    _login(client, world["coordinator"].email)
    page = client.post(f"/labs/sessions/{world['session'].id}/book", data={"email": "no.account@example.com"},
                       follow_redirects=True).get_data(as_text=True)
    assert "No account has the e-mail address no.account@example.com" in page


def _token(user):
    _row, clear = accounts.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


@pytest.mark.parametrize("who", ["manager", "learner"])
def test_the_api_answers_alike(client, world, who):
    url = f"/api/v1/lab-sessions/{world['session'].id}/bookings"
    headers = _token(world[who])
    exists = client.post(url, json={"user_email": "secret.person@example.com"}, headers=headers)
    missing = client.post(url, json={"user_email": "no.account@example.com"}, headers=headers)
    assert (exists.status_code, exists.get_json()) == (missing.status_code, missing.get_json())
    assert exists.status_code == 403 and "Secret" not in exists.get_data(as_text=True)
    coordinator = client.post(url, json={"user_email": "no.account@example.com"},
                              headers=_token(world["coordinator"]))
    assert coordinator.status_code == 404
    mine = client.post(url, json={"user_email": "staff@example.com"}, headers=_token(world["manager"]))
    assert mine.status_code == 201 and mine.get_json()["user_email"] == "staff@example.com"
