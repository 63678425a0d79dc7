"""Production shape on one fresh PostgreSQL database: two app servers (gunicorn, 2 workers each) and two
`lms scheduler` processes. Many people book the same session at once through both servers: never more confirmed
seats than the session has, a waitlist 1..n, a double booking refused; cancellations through both servers
promote from the waitlist without overbooking; then the session is moved so that every reminder falls due, and
each reaches a real SMTP server (aiosmtpd) exactly once, and no message of any kind arrives twice."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support import call_api, free_port

pytestmark = pytest.mark.postgres

BIN = Path(sys.executable).parent
SEATS, PEOPLE = 6, 30


SEED = """
import json
from lms import create_app
from lms.auth import accounts
from lms.extensions import db
from lms.labs.models import Lab

app = create_app()
with app.app_context():
    coordinator = accounts.create_user("coord@example.com", "Coord", roles=["coordinator"])
    db.session.add(Lab(slug="cluster-lab", name="Cluster lab", coordinator_email="coord@example.com"))
    people = [accounts.create_user(f"p{i}@example.com", f"Person {i}") for i in range(%(people)d)]
    db.session.flush()
    tokens = [accounts.create_api_token(u, "cluster")[1] for u in [coordinator] + people]
    db.session.commit()
    print(json.dumps(tokens))
"""


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_two_servers_and_two_schedulers_on_one_postgresql(fresh_postgres_url, smtp_sink, tmp_path):
    smtp_port, sink = smtp_sink.port, smtp_sink
    ports = [free_port(), free_port()]
    env = {**os.environ, "LMS_DATABASE_URL": fresh_postgres_url, "LMS_SECRET_KEY": "cluster-secret" * 3,
           "LMS_BASE_URL": "https://lms.example.org", "LMS_SMTP_HOST": "127.0.0.1", "LMS_SMTP_PORT": str(smtp_port),
           "LMS_REMINDER_OFFSETS": "2h", "LMS_SCHEDULER_INTERVAL": "1", "LMS_OUTBOX_LEASE_SECONDS": "5",
           "LMS_LOG_FORMAT": "json"}
    subprocess.run([str(BIN / "lms"), "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
    seeded = subprocess.run([sys.executable, "-c", SEED % {"people": PEOPLE}], env=env, capture_output=True,
                            text=True, cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    coordinator, *people = json.loads(seeded.stdout.strip().splitlines()[-1])

    processes = []

    def start(name, command):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed at the end)
        processes.append((name, subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log,
                                                 stderr=subprocess.STDOUT), log))

    for n, port in enumerate(ports):
        start(f"web{n}", [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}",
                          "lms:create_app()"])
    for n in range(2):
        start(f"scheduler{n}", [str(BIN / "lms"), "scheduler"])
    bases = [f"http://127.0.0.1:{port}/api/v1" for port in ports]
    try:
        assert _wait(lambda: all(_answers(f"http://127.0.0.1:{p}/readyz") for p in ports), 240), "servers not ready"

        # The session starts in 2 h 30 min: its 2-hour reminders are not due while people book and cancel.
        starts = datetime.now(UTC) + timedelta(hours=2, minutes=30)
        code, session = call_api(bases[0], "POST", "/lab-sessions", coordinator, {
            "title": "Cluster drill", "lab": "cluster-lab", "capacity": SEATS,
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()})
        assert code == 201, session
        path = f"/lab-sessions/{session['id']}/bookings"

        # Everyone at once, alternately through each server; person 0 also books again through the other.
        calls = [(bases[i % 2], people[i]) for i in range(PEOPLE)] + [(bases[1], people[0])]
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            answers = list(pool.map(lambda c: call_api(c[0], "POST", path, c[1], {}), calls))
        codes = Counter(code for code, _ in answers)
        assert codes == {201: PEOPLE, 409: 1}, answers
        made = [body for code, body in answers if code == 201]
        assert sum(1 for b in made if b["status"] == "confirmed") == SEATS
        assert sorted(b["position"] for b in made if b["status"] == "waitlisted") == list(range(1, PEOPLE - SEATS + 1))

        # Two seat-holders cancel at once, one through each server: the first two in line move up.
        # Person 0's double booking: either of the two calls may be the one refused.
        callers = people[:PEOPLE] + [people[0]]
        owner = {body["id"]: callers[i] for i, (code, body) in enumerate(answers) if code == 201}
        leaving = [b["id"] for b in made if b["status"] == "confirmed"][:2]
        with ThreadPoolExecutor(max_workers=2) as pool:
            cancelled = list(pool.map(lambda n: call_api(bases[n], "DELETE", f"/bookings/{leaving[n]}",
                                                      owner[leaving[n]]), range(2)))
        assert [code for code, _ in cancelled] == [200, 200], cancelled
        code, state = call_api(bases[1], "GET", f"/lab-sessions/{session['id']}", coordinator)
        statuses = {b["id"]: b["status"] for b in state["bookings"]}
        confirmed = {b["id"] for b in state["bookings"] if b["status"] == "confirmed"}
        assert len(confirmed) == SEATS == state["seats_taken"]
        promoted = {b["id"] for b in made if b.get("position") in (1, 2)}
        assert promoted <= confirmed and all(statuses[i] == "cancelled" for i in leaving)
        assert sorted(b["position"] for b in state["bookings"] if b["status"] == "waitlisted") == list(
            range(1, PEOPLE - SEATS - 1))
        holders = {b["user_email"] for b in state["bookings"] if b["status"] == "confirmed"}

        # The coordinator moves the session to 2 h from now, so its reminders fall due at once: each
        # seat-holder gets one, through one of the two schedulers, once.
        reminders = lambda: [m for m in sink.messages if m["Subject"].startswith("Reminder:")]  # noqa: E731
        assert not reminders()
        starts = datetime.now(UTC) + timedelta(hours=2, seconds=2)
        code, moved = call_api(bases[0], "PATCH", f"/lab-sessions/{session['id']}", coordinator, {
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()})
        assert code == 200, moved
        assert _wait(lambda: len(reminders()) >= SEATS, 120), \
            f"{len(reminders())} of {SEATS} reminders arrived"
        time.sleep(3)  # a few more scheduler runs: nothing more may arrive
        assert sorted(m["To"] for m in reminders()) == sorted(holders)
        message_ids = Counter(m["Message-ID"] for m in sink.messages)
        assert all(n == 1 for n in message_ids.values()), [k for k, n in message_ids.items() if n > 1]
        # Every booking was told by e-mail (a seat or a waitlist place), sent by a web server or a scheduler.
        told = {m["To"] for m in sink.messages if not m["Subject"].startswith("Reminder:")}
        assert told >= {f"p{i}@example.com" for i in range(PEOPLE)}
    finally:
        for _name, process, _log in processes:
            process.terminate()
        exits = {}
        for name, process, log in processes:
            try:
                exits[name] = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                exits[name] = process.wait()
            log.close()
    assert exits == {name: 0 for name, _p, _l in processes}, exits
    logs = {name: (tmp_path / f"{name}.log").read_text() for name, _p, _l in processes}
    for name, text in logs.items():
        assert "Traceback" not in text, f"{name}:\n{text[-3000:]}"
    # Both schedulers ran, and stopped cleanly on SIGTERM.
    assert all("stopped" in logs[f"scheduler{n}"] for n in range(2))
    # Both servers served bookings: the race really went through two app servers.
    for n in range(2):
        assert '"path": "/api/v1/lab-sessions/' in logs[f"web{n}"]
