"""Many people book the last seats at once, against a real multi-worker server (gunicorn, 3 workers), on
SQLite and on a fresh PostgreSQL database: exactly the seats are confirmed, the rest waitlisted 1..n, no 5xx;
then a cancellation promotes exactly one, who is e-mailed through a real SMTP server."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support import call_api, free_port

ROOT = Path(__file__).resolve().parents[2]
SEATS, PEOPLE = 5, 24


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A database of this test's own: it runs `lms db upgrade` and servers on it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.sqlite3'}"
    return request.getfixturevalue("fresh_postgres_url")


SEED = """
import json, sys
from datetime import timedelta
from lms import create_app
from lms.auth import accounts
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import Lab, LabSession

app = create_app()
with app.app_context():
    coordinator = accounts.create_user("coord@example.com", "Coord", roles=["coordinator"])
    lab = Lab(slug="race-lab", name="Race lab", coordinator_email="coord@example.com")
    start = utcnow() + timedelta(days=3)
    session = LabSession(lab=lab, title="Last seats", starts_at=start, ends_at=start + timedelta(hours=2),
                         capacity=%(seats)d)
    db.session.add_all([lab, session])
    people = [accounts.create_user(f"racer{i}@example.com", f"Racer {i}") for i in range(%(people)d)]
    db.session.flush()
    tokens = [accounts.create_api_token(u, "race")[1] for u in [coordinator] + people]
    db.session.commit()
    print(json.dumps({"session": session.id, "tokens": tokens}))
"""


def test_concurrent_bookings_never_overbook(database, smtp_sink, tmp_path):
    smtp_port, sink = smtp_sink.port, smtp_sink
    port = free_port()
    env = {**os.environ, "LMS_DATABASE_URL": database, "LMS_SECRET_KEY": "race-secret",
           "LMS_BASE_URL": f"http://127.0.0.1:{port}", "LMS_SMTP_HOST": "127.0.0.1", "LMS_SMTP_PORT": str(smtp_port)}
    lms = str(ROOT / ".venv" / "bin" / "lms")
    subprocess.run([lms, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
    seeded = subprocess.run([sys.executable, "-c", SEED % {"seats": SEATS, "people": PEOPLE}], env=env,
                            capture_output=True, text=True, cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    setup = json.loads(seeded.stdout.strip().splitlines()[-1])
    coordinator, racers = setup["tokens"][0], setup["tokens"][1:]
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "3", "--threads", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "lms:create_app()"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        path = f"/lab-sessions/{setup['session']}/bookings"
        # Every racer books once, and the first racer also clicks twice: all at the same moment.
        calls = [(t, path) for t in racers] + [(racers[0], path)]
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            answers = list(pool.map(lambda c: call_api(base, "POST", c[1], c[0], {}), calls))
        codes = sorted(code for code, _ in answers)
        assert all(code < 500 for code in codes), answers
        assert codes.count(201) == PEOPLE and codes.count(409) == 1, codes
        made = [body for code, body in answers if code == 201]
        confirmed = [b for b in made if b["status"] == "confirmed"]
        waiting = sorted(b["position"] for b in made if b["status"] == "waitlisted")
        assert len(confirmed) == SEATS
        assert waiting == list(range(1, PEOPLE - SEATS + 1))

        # A cancellation promotes exactly one: the first in line.
        first_in_line = next(b for b in made if b.get("position") == 1)
        # Whose booking it is, from every call: the double click's 409 may be either of the first racer's two.
        owner = {body["id"]: token for (token, _path), (code, body) in zip(calls, answers, strict=True)
                 if code == 201}
        cancelled_by = owner[confirmed[0]["id"]]
        code, body = call_api(base, "DELETE", f"/bookings/{confirmed[0]['id']}", cancelled_by)
        assert (code, body["status"]) == (200, "cancelled")
        code, session = call_api(base, "GET", f"/lab-sessions/{setup['session']}", coordinator)
        statuses = {b["id"]: (b["status"], b["position"]) for b in session["bookings"]}
        assert statuses[first_in_line["id"]] == ("confirmed", None)
        assert sum(1 for s, _p in statuses.values() if s == "confirmed") == SEATS == session["seats_taken"]
        assert sorted(p for s, p in statuses.values() if s == "waitlisted") == list(range(1, PEOPLE - SEATS))
        for _ in range(100):
            if any(m["Subject"].startswith("A seat is yours") for m in sink.messages):
                break
            time.sleep(0.05)
        promoted = [m for m in sink.messages if m["Subject"].startswith("A seat is yours")]
        assert [m["To"] for m in promoted] == [first_in_line["user_email"]]
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    assert b"Traceback" not in err, err.decode()[-3000:]
