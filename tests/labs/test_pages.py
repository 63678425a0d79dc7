"""The labs pages over HTTP: what each person sees, booking and cancelling by form, access checks."""
from datetime import timedelta

import pytest

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import Booking, LabSession
from lms.labs.times import zone
from lms.orgs.models import Organisation
from lms.orgs.people import add_member
from tests.conftest import PASSWORD, outbox


@pytest.fixture
def people(app, create_user):
    coordinator = create_user("coord@example.com", "Carla Coord", roles=("coordinator",))
    learner = create_user("lea@example.com", "Lea Learner")
    other = create_user("otto@example.com", "Otto Other")
    manager = create_user("mara@example.com", "Mara Manager", roles=("company_manager",))
    org = Organisation(name="Acme", kind="company")
    db.session.add(org)
    db.session.flush()
    add_member(org, manager, "manager")
    add_member(org, learner)
    db.session.commit()
    return coordinator, learner, other, manager


@pytest.fixture
def future_session(make_session):
    session = make_session(capacity=1, starts_at=utcnow() + timedelta(days=5), title="Twin demo")
    db.session.commit()
    return session


def _login(client, email):
    client.post("/logout")
    client.post("/login", data={"email": email, "password": PASSWORD})


def test_public_pages_render(client, future_session):
    lab = future_session.lab
    index = client.get("/labs/").get_data(as_text=True)
    assert lab.name in index and "openstreetmap.org/search?query=Via+Roma+1%2C+Bologna" in index
    assert "Twin demo" in index
    assert "Twin demo" in client.get(f"/labs/{lab.slug}").get_data(as_text=True)
    day = future_session.starts_at.date().isoformat()
    for url in (f"/labs/calendar?date={day}", f"/labs/calendar?view=week&date={day}", "/labs/sessions",
                f"/labs/sessions?lab={lab.slug}&topic=twin"):
        page = client.get(url)
        assert page.status_code == 200 and "Twin demo" in page.get_data(as_text=True), url
    assert "Twin demo" not in client.get("/labs/sessions?topic=nothing-like-it").get_data(as_text=True)
    assert client.get("/labs/calendar?date=garbage&view=nonsense").status_code == 200
    assert client.get("/labs/calendar?view=%00").status_code == 400  # a NUL anywhere: 400 (lms/http.py)
    page = client.get(f"/labs/sessions/{future_session.id}").get_data(as_text=True)
    assert "Sign in" in page and "Book a seat" not in page
    assert client.get("/labs/sessions/99999999999999999999").status_code == 404
    assert client.get("/labs/no-such-lab").status_code == 404


def test_book_wait_cancel_by_form_and_someone_elses_booking(client, people, future_session):
    coordinator, learner, other, _manager = people
    _login(client, learner.email)
    assert "Book a seat" in client.get(f"/labs/sessions/{future_session.id}").get_data(as_text=True)
    client.post(f"/labs/sessions/{future_session.id}/book")
    twice = client.post(f"/labs/sessions/{future_session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "already has a booking" in twice
    mine = db.session.scalar(db.select(Booking).where(Booking.user_id == learner.id))
    _login(client, other.email)
    waiting = client.post(f"/labs/sessions/{future_session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "number 1 on the waitlist" in waiting
    # Someone else's booking: 404 for cancel and .ics, nothing changes.
    assert client.post(f"/labs/bookings/{mine.id}/cancel").status_code == 404
    assert client.get(f"/labs/bookings/{mine.id}.ics").status_code == 404
    db.session.refresh(mine)
    assert mine.status == "confirmed"
    _login(client, learner.email)
    assert client.get(f"/labs/bookings/{mine.id}.ics").mimetype == "text/calendar"
    client.post(f"/labs/bookings/{mine.id}/cancel", data={"next": "my_bookings"})
    page = client.get("/labs/my-bookings").get_data(as_text=True)
    assert "cancelled" in page
    theirs = db.session.scalar(db.select(Booking).where(Booking.user_id == other.id))
    db.session.refresh(theirs)
    assert theirs.status == "confirmed"


def test_manager_books_staff_from_the_page(client, people, future_session):
    _coordinator, learner, other, manager = people
    _login(client, manager.email)
    page = client.get(f"/labs/sessions/{future_session.id}").get_data(as_text=True)
    assert "Book for my staff" in page and learner.name in page and other.name not in page
    client.post(f"/labs/sessions/{future_session.id}/book", data={"user_id": learner.id})
    refused = client.post(f"/labs/sessions/{future_session.id}/book", data={"user_id": other.id}, follow_redirects=True)
    assert "only for members of the organisations you manage" in refused.get_data(as_text=True)
    assert "Otto Other" not in refused.get_data(as_text=True)
    assert [(b.user_id, b.booked_by_id) for b in db.session.scalars(db.select(Booking))] == [(learner.id, manager.id)]


def test_coordinator_pages_and_form_keep_what_was_typed(client, people, future_session, make_lab):
    coordinator, learner, _other, _manager = people
    assert client.get("/labs/coordination").status_code in (302, 401)
    _login(client, learner.email)
    assert client.get("/labs/coordination").status_code == 403
    assert client.get(f"/labs/sessions/{future_session.id}/bookings.csv").status_code == 403
    _login(client, coordinator.email)
    assert "Coordination" in client.get("/labs/coordination").get_data(as_text=True)
    lab = future_session.lab
    start = (utcnow() + timedelta(days=5)).date()
    form = {"lab": lab.id, "title": "Clashing title", "topic": "T", "trainer": 0, "day": start.isoformat(),
            "start": "00:00", "end": "23:30", "capacity": 4, "audience": "signed_in", "course": 0,
            "cutoff_hours": 0, "repeat": "none", "weeks": 4, "scope": "one"}
    page = client.post("/labs/sessions/new", data=form).get_data(as_text=True)
    assert "already holds “Twin demo”" in page and 'value="Clashing title"' in page
    form.update(day="2027-03-28", start="02:30", end="04:00")
    assert "does not exist" in client.post("/labs/sessions/new", data=form).get_data(as_text=True)
    form.update(day=(utcnow() + timedelta(days=20)).date().isoformat(), start="09:00", end="11:00", repeat="weekly",
                weeks=3, title="Weekly")
    answer = client.post("/labs/sessions/new", data=form)
    assert answer.status_code == 302
    made = list(db.session.scalars(db.select(LabSession).where(LabSession.title == "Weekly")))
    assert len(made) == 3 and len({s.series_id for s in made}) == 1
    edit = client.get(f"/labs/sessions/{made[0].id}/edit").get_data(as_text=True)
    assert 'value="Weekly"' in edit and "This and the coming sessions" in edit
    csv = client.get(f"/labs/sessions/{future_session.id}/bookings.csv")
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).startswith("name,email,status")
    assert client.get(f"/labs/sessions/{future_session.id}/sign-in-sheet").status_code == 200
    client.post(f"/labs/sessions/{made[0].id}/cancel", data={"scope": "all"})
    assert all(s.is_cancelled for s in db.session.scalars(db.select(LabSession).where(LabSession.title == "Weekly")))


def test_forms_need_csrf(app_factory, make_session):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/labs/sessions/1/book").status_code in (400, 302)
    assert client.post("/labs/calendar-feed").status_code in (400, 302)


def test_coordinator_books_by_email_and_lowers_seats_choosing_who_waits(client, people, future_session):
    coordinator, learner, other, _manager = people
    _login(client, coordinator.email)
    future_session.capacity = 2
    db.session.commit()
    for person in (learner, other):
        client.post(f"/labs/sessions/{future_session.id}/book", data={"email": person.email})
    unknown = client.post(f"/labs/sessions/{future_session.id}/book", data={"email": "nobody@example.com"},
                          follow_redirects=True).get_data(as_text=True)
    assert "No account has the e-mail address nobody@example.com" in unknown
    bookings = {b.user_id: b for b in db.session.scalars(db.select(Booking))}
    assert {b.status for b in bookings.values()} == {"confirmed"}
    assert bookings[learner.id].booked_by_id == coordinator.id
    edit = client.get(f"/labs/sessions/{future_session.id}/edit").get_data(as_text=True)
    form = {name: value for name, value in (
        ("lab", future_session.lab_id), ("title", "Twin demo"), ("trainer", 0), ("capacity", 1),
        ("audience", "signed_in"), ("course", 0), ("cutoff_hours", 0), ("scope", "one"))}
    local = future_session.starts_at.astimezone(zone("Europe/Rome"))
    form.update(day=local.date().isoformat(), start=local.strftime("%H:%M"),
                end=(local + timedelta(hours=2)).strftime("%H:%M"))
    assert "Move to the waitlist" in edit
    page = client.post(f"/labs/sessions/{future_session.id}/edit", data=form).get_data(as_text=True)
    assert "choose 1 confirmed people" in page and 'value="1"' in page  # the typed seats are kept
    form["move_to_waitlist"] = [bookings[other.id].id]
    assert client.post(f"/labs/sessions/{future_session.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (bookings[other.id].status, bookings[other.id].position) == ("waitlisted", 1)
    assert bookings[learner.id].status == "confirmed" and future_session.capacity == 1
    # Saving the form unchanged (times shown to the minute) is not a move: nobody is told.
    assert future_session.sequence == 0
    assert not [m for m in outbox(client.application) if m["Subject"].startswith("Session moved")]


def test_italian_pages_use_the_labs_italian_texts(client, make_session):
    session = make_session(starts_at=utcnow() + timedelta(days=2))
    session.lab.name = "Cobot cell"
    session.lab.translations = {"it": {"name": "Cella cobot", "venue": "Laboratorio di robotica"}}
    db.session.commit()
    headers = {"Accept-Language": "it"}
    listed = client.get("/labs/sessions", headers=headers).get_data(as_text=True)
    assert "Cella cobot" in listed and "Sessioni di laboratorio" in listed
    page = client.get(f"/labs/sessions/{session.id}", headers=headers).get_data(as_text=True)
    assert "Laboratorio di robotica" in page and "Cobot cell" not in page
    assert "Cobot cell" in client.get("/labs/sessions", headers={"Accept-Language": "en"}).get_data(as_text=True)
