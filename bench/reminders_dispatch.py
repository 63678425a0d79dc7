#!/usr/bin/env python3
"""Queue 10,000 due reminders and time how long the scheduler's job takes to send them to a local SMTP server.

    .venv/bin/python bench/reminders_dispatch.py [--messages 10000] [--database sqlite|postgresql]

A fresh database (a temp SQLite file, or a PostgreSQL database created and dropped on 127.0.0.1:5432), an
aiosmtpd server on loopback in a process of its own (so that it does not share the interpreter lock with the
sender) that counts what it receives, and the scheduler's own job (`run_once`), run until
nothing is due. Prints the time to queue, the time to send, messages per second, and checks that every message
arrived once. Numbers only: it does not fail on them.
"""
import argparse
import os
import socket
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from lms import create_app  # noqa: E402
from lms.dbtypes import utcnow  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.notify import outbox, scheduler  # noqa: E402

PG_ADMIN = os.environ.get("LMS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class Sink:
    def __init__(self):
        self.ids = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids.append(line)
                break
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(kind, folder):
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite3'}", None
    import psycopg

    name = f"lms_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{PG_ADMIN.split('://', 1)[1].rsplit('/', 1)[0]}/{name}", (admin, name)


def run_sink(port: int, report: str):
    """The SMTP server's process: until SIGTERM, then write the Message-ID lines it saw to `report`."""
    import signal
    import threading

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    Path(report).write_bytes(b"\n".join(sink.ids))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "REPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return run_sink(int(args.sink[0]), args.sink[1])

    import subprocess

    port, report = free_port(), tempfile.mktemp()
    server = subprocess.Popen([sys.executable, __file__, "--sink", str(port), report])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    folder = Path(tempfile.mkdtemp())
    url, pg = database_url(args.database, folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SMTP_HOST": "127.0.0.1",
                      "SMTP_PORT": port, "MAIL_IMMEDIATE": "off"})
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            due = utcnow() - timedelta(seconds=1)
            for n in range(args.messages):
                msg = EmailMessage()
                msg["To"], msg["From"] = f"learner{n}@example.com", app.config["MAIL_FROM"]
                msg["Subject"] = f"Reminder: Cobot basics, session {n}"
                msg.set_content("Your lab session starts in 2 hours.\n")
                outbox.enqueue(db.session, msg, key=f"reminder:booking={n}:offset=2h", kind="reminder", due_at=due,
                               mail_from=app.config["MAIL_FROM"], topic=f"booking:{n}")
            db.session.commit()
            queued = time.perf_counter() - started
            db.session.remove()
        started = time.perf_counter()
        runs = 0
        while True:
            runs += 1
            if scheduler.run_once(app, "bench").sent == 0:
                break
        sent_in = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
        if pg:
            with app.app_context():
                db.engine.dispose()
            admin, name = pg
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ids = [line for line in Path(report).read_bytes().split(b"\n") if line]
    unique = len(set(ids))
    print(f"database: {args.database}; messages: {args.messages}")
    print(f"queue (one transaction): {queued:.2f} s")
    print(f"dispatch ({runs} scheduler runs): {sent_in:.2f} s = {args.messages / sent_in:.0f} messages/s")
    print(f"arrived: {len(ids)}, distinct Message-IDs: {unique}")


if __name__ == "__main__":
    main()
