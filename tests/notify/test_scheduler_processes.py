"""Two real `lms scheduler` processes on one database (SQLite, then PostgreSQL) and a real SMTP server:
one is killed with SIGKILL half-way; every due message still arrives, once per Message-ID, and the other
stops cleanly on SIGTERM."""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.notify import outbox
from lms.notify.models import OutboxMessage
from tests.support import running_smtp_sink

LMS = Path(sys.executable).with_name("lms")
MESSAGES = 120


@pytest.fixture
def slow_smtp():
    """A real SMTP server taking 20 ms per message, so that a kill lands in the middle of the work."""
    with running_smtp_sink(delay=0.02) as sink:
        yield sink


def _scheduler(url, port, tmp_path, name):
    env = {**os.environ, "LMS_DATABASE_URL": url, "LMS_SMTP_HOST": "127.0.0.1", "LMS_SMTP_PORT": str(port),
           "LMS_SECRET_KEY": "x" * 32, "LMS_SCHEDULER_INTERVAL": "1", "LMS_OUTBOX_LEASE_SECONDS": "3"}
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen([str(LMS), "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT), log


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.postgres
def test_two_schedulers_one_killed_every_message_arrives_once(db_app, slow_smtp, tmp_path):
    port, sink = slow_smtp.port, slow_smtp
    now = utcnow()
    for n in range(MESSAGES):
        msg = EmailMessage()
        msg["To"], msg["From"], msg["Subject"] = f"p{n}@example.com", "x@officina.example", f"Reminder {n}"
        msg.set_content("Your lab session starts soon.")
        outbox.enqueue(db.session, msg, key=f"reminder:{n}", kind="reminder", due_at=now - timedelta(seconds=1),
                       mail_from="x@officina.example")
    # One more, due only later: nobody may send it early.
    outbox.enqueue(db.session, msg, key="later", kind="reminder", due_at=now + timedelta(hours=1),
                   mail_from="x@officina.example")
    db.session.commit()
    url = db_app.config["SQLALCHEMY_DATABASE_URI"]

    victim, victim_log = _scheduler(url, port, tmp_path, "victim")
    survivor, survivor_log = _scheduler(url, port, tmp_path, "survivor")
    try:
        assert _wait(lambda: len(sink.messages) >= MESSAGES // 4, 60), "the schedulers sent nothing"
        victim.send_signal(signal.SIGKILL)
        ids = lambda: {m["Message-ID"] for m in sink.messages}  # noqa: E731
        assert _wait(lambda: len(ids()) >= MESSAGES, 90), f"only {len(ids())} of {MESSAGES} arrived"
        time.sleep(1.5)  # a last run: nothing more may arrive
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(timeout=20) == 0
    finally:
        for process, log in ((victim, victim_log), (survivor, survivor_log)):
            if process.poll() is None:
                process.kill()
            process.wait()
            log.close()

    subjects = sorted(m["Subject"] for m in sink.messages)
    assert {m["Message-ID"] for m in sink.messages} == {
        outbox.message_id_for(f"reminder:{n}", "x@officina.example") for n in range(MESSAGES)}
    # The only message that can arrive twice is the one the killed process was sending when it died, and a
    # mailbox sees the same Message-ID again.
    assert len(subjects) - len(set(subjects)) <= 1
    assert "Reminder later" not in subjects
    db.session.expire_all()
    statuses = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    assert statuses == {"sent": MESSAGES, "queued": 1}
    assert "stopped" in (tmp_path / "survivor.log").read_text()
