"""API v1 for labs, sessions and bookings: the contract in DESIGN.md, errors and hostile input."""
from datetime import timedelta

import pytest

from lms.auth import accounts
from lms.dbtypes import utcnow
from lms.extensions import db


def _token(user):
    _row, clear = accounts.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture
def setup(app, make_lab, make_person):
    coordinator = make_person(name="Coord", roles=("coordinator",), email="coord@example.com")
    lab = make_lab(slug="cobot-cell")
    learners = [make_person(name=f"L{i}") for i in range(3)]
    db.session.commit()
    return coordinator, lab, learners


def _iso(delta):
    return (utcnow() + delta).astimezone().isoformat()


def test_create_book_waitlist_cancel_promote(client, setup):
    coordinator, lab, learners = setup
    body = {"title": "Cobot basics", "starts_at": _iso(timedelta(days=3)), "ends_at": _iso(timedelta(days=3, hours=2)),
            "capacity": 1, "lab": "cobot-cell", "description": "**Bring** shoes"}
    created = client.post("/api/v1/lab-sessions", json=body, headers=_token(coordinator))
    assert created.status_code == 201, created.get_json()
    sid = created.get_json()["id"]
    assert created.get_json()["lab"] == "cobot-cell"

    answers = [client.post(f"/api/v1/lab-sessions/{sid}/bookings", headers=_token(p)) for p in learners[:2]]
    assert [(a.status_code, a.get_json()["status"], a.get_json()["position"]) for a in answers] == [
        (201, "confirmed", None), (201, "waitlisted", 1)]
    again = client.post(f"/api/v1/lab-sessions/{sid}/bookings", headers=_token(learners[0]))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"

    # Someone else's booking id is a 404, and nothing changes.
    first_id = answers[0].get_json()["id"]
    assert client.delete(f"/api/v1/bookings/{first_id}", headers=_token(learners[2])).status_code == 404
    assert client.delete(f"/api/v1/bookings/{first_id}", headers=_token(learners[0])).get_json()["status"] == "cancelled"
    mine = client.get("/api/v1/me/bookings", headers=_token(learners[1])).get_json()
    assert mine["total"] == 1 and mine["items"][0]["status"] == "confirmed"
    assert mine["items"][0]["session"]["seats_left"] == 0

    listed = client.get(f"/api/v1/lab-sessions?from={_iso(timedelta(days=2))}&to={_iso(timedelta(days=4))}",
                        headers=_token(learners[2])).get_json()
    assert [s["id"] for s in listed["items"]] == [sid]
    assert client.get(f"/api/v1/lab-sessions?from={_iso(timedelta(days=5))}",
                      headers=_token(learners[2])).get_json()["total"] == 0
    labs = client.get("/api/v1/labs", headers=_token(learners[2])).get_json()
    assert labs["items"][0]["slug"] == "cobot-cell"


def test_patch_moves_resizes_and_cancels(client, setup):
    coordinator, lab, learners = setup
    headers = _token(coordinator)
    sid = client.post("/api/v1/lab-sessions", headers=headers, json={
        "title": "T", "starts_at": _iso(timedelta(days=3)), "ends_at": _iso(timedelta(days=3, hours=2)),
        "capacity": 2, "lab": "cobot-cell"}).get_json()["id"]
    ids = [client.post(f"/api/v1/lab-sessions/{sid}/bookings", headers=_token(p)).get_json()["id"] for p in learners]
    low = client.patch(f"/api/v1/lab-sessions/{sid}", headers=headers, json={"capacity": 1})
    assert low.status_code == 409 and "choose 1" in low.get_json()["error"]["message"]
    ok = client.patch(f"/api/v1/lab-sessions/{sid}", headers=headers, json={"capacity": 1, "move_to_waitlist": [ids[1]]})
    assert ok.status_code == 200 and ok.get_json()["seats_taken"] == 1
    positions = {b["id"]: b["position"] for b in ok.get_json()["bookings"]}
    assert positions[ids[1]] == 1 and positions[ids[2]] == 2
    up = client.patch(f"/api/v1/lab-sessions/{sid}", headers=headers, json={"capacity": 3})
    assert up.get_json()["seats_taken"] == 3 and up.get_json()["waitlist_length"] == 0
    moved = client.patch(f"/api/v1/lab-sessions/{sid}", headers=headers,
                         json={"starts_at": _iso(timedelta(days=4)), "ends_at": _iso(timedelta(days=4, hours=1))})
    assert moved.status_code == 200
    # A learner may not patch; the coordinator cancels.
    assert client.patch(f"/api/v1/lab-sessions/{sid}", headers=_token(learners[0]), json={"cancelled": True}).status_code == 403
    gone = client.patch(f"/api/v1/lab-sessions/{sid}", headers=headers, json={"cancelled": True})
    assert gone.get_json()["cancelled"] is True
    late = client.post(f"/api/v1/lab-sessions/{sid}/bookings", headers=_token(learners[0]))
    assert late.status_code == 409


@pytest.mark.parametrize("body, status", [
    ({"title": "T", "starts_at": "2030-01-01T10:00:00+01:00", "ends_at": "2030-01-01T09:00:00+01:00", "capacity": 2}, 400),
    ({"title": "T", "starts_at": "2030-01-01T10:00:00+01:00", "ends_at": "2030-01-01T11:00:00+01:00", "capacity": 0}, 400),
    ({"title": "T", "starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T11:00:00+01:00", "capacity": 2}, 400),
    ({"title": "T", "starts_at": "2030-01-01T10:00:00+01:00", "ends_at": "2030-01-01T11:00:00+01:00", "capacity": "x"}, 400),
    ({"title": ["x"], "starts_at": "2030-01-01T10:00:00+01:00", "ends_at": "2030-01-01T11:00:00+01:00", "capacity": 2}, 400),
    ({"title": "T", "starts_at": "2030-01-01T10:00:00+01:00", "ends_at": "2030-01-01T11:00:00+01:00", "capacity": 2,
      "lab": "nope"}, 400),
    ([1, 2], 400),
])
def test_bad_session_bodies(client, setup, body, status):
    coordinator, _lab, _learners = setup
    answer = client.post("/api/v1/lab-sessions", json=body, headers=_token(coordinator))
    assert answer.status_code == status and answer.get_json()["error"]["message"]


def test_hostile_input_is_a_4xx(client, setup):
    coordinator, _lab, learners = setup
    headers = {**_token(coordinator), "Content-Type": "application/json"}
    assert client.post("/api/v1/lab-sessions", data="[" * 100_000, headers=headers).status_code == 400
    assert client.post("/api/v1/lab-sessions", data="{broken", headers=headers).status_code == 400
    nul = {"title": "a\u0000b", "starts_at": _iso(timedelta(days=3)), "ends_at": _iso(timedelta(days=3, hours=1)),
           "capacity": 2}
    answer = client.post("/api/v1/lab-sessions", json=nul, headers=headers)
    assert answer.status_code == 400 and "NUL" in answer.get_json()["error"]["message"]
    assert client.get("/api/v1/lab-sessions/99999999999999999999", headers=headers).status_code == 404
    assert client.delete("/api/v1/bookings/99999999999999999999", headers=headers).status_code == 404
    assert client.get("/api/v1/lab-sessions?from=yesterday", headers=headers).status_code == 400
    assert client.post("/api/v1/lab-sessions", json={}, headers=_token(learners[0])).status_code == 403


def test_openapi_lists_the_lab_paths_with_their_codes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert set(doc["paths"]["/lab-sessions/{id}/bookings"]["post"]["responses"]) >= {"201", "401", "403", "404", "409"}
    for path in ("/labs", "/lab-sessions", "/lab-sessions/{id}", "/bookings/{id}", "/me/bookings"):
        assert path in doc["paths"]


def test_labs_carry_their_translations(client, make_lab, make_person):
    make_lab(slug="cobot-cell", name="Cobot cell", equipment=["cobot arm"],
             translations={"it": {"name": "Cella cobot", "equipment": ["braccio cobot"]}})
    learner = make_person(name="Lea")
    db.session.commit()
    lab = client.get("/api/v1/labs", headers=_token(learner)).get_json()["items"][0]
    assert lab["name"] == "Cobot cell" and lab["equipment"] == ["cobot arm"]
    assert lab["translations"] == {"it": {"name": "Cella cobot", "equipment": ["braccio cobot"]}}
