"""The reminder scheduler: one short job, every LMS_SCHEDULER_INTERVAL seconds, sends what the outbox has due.

It runs in its own process (`lms scheduler`) in production, embedded in `lms run` for local use, and never
inside create_app: every gunicorn worker would run it. Several schedulers may run at once (on several hosts):
rows are claimed in the database (lms/notify/outbox.py), so none is sent twice.
"""
import logging
import os
import signal
import socket
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.notify import outbox
from lms.notify.mail import Mailer
from lms.notify.models import SchedulerRun

log = logging.getLogger("lms.scheduler")


def worker_name() -> str:
    return f"scheduler:{socket.gethostname()}:{os.getpid()}"


def run_once(app, worker: str | None = None, clock=utcnow) -> outbox.Delivery:
    """The job: send what is due, note when this worker ran. Safe to run in several processes at once."""
    worker = worker or worker_name()
    with app.app_context(), Session(db.engine) as session, Mailer(app.config) as mailer:
        result = outbox.dispatch_due(session, worker=worker, clock=clock, send=mailer,
                                     lease=int(app.config["OUTBOX_LEASE_SECONDS"]))
        run = session.scalar(select(SchedulerRun).where(SchedulerRun.worker == worker))
        if run is None:
            run = SchedulerRun(worker=worker, started_at=clock())
            session.add(run)
        run.last_run_at, run.last_sent, run.last_failed = clock(), result.sent, result.failed
        session.commit()
    if result.sent or result.failed or result.retried:
        log.info("sent %d, will retry %d, failed %d", result.sent, result.retried, result.failed)
    return result


def start_background(app, interval: int | None = None) -> BackgroundScheduler:
    """A scheduler thread in this process (for `lms run`); the caller shuts it down."""
    interval = interval or int(app.config["SCHEDULER_INTERVAL"])
    scheduler = BackgroundScheduler(timezone="UTC")
    worker = worker_name()
    scheduler.add_job(run_once, "interval", args=(app, worker), seconds=interval, next_run_time=utcnow(),
                      max_instances=1, coalesce=True, id="outbox")
    scheduler.start()
    return scheduler


def run_forever(app, interval: int | None = None):
    """Run the job until SIGTERM or SIGINT, then finish the message in hand and stop."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler = start_background(app, interval)
    log.info("scheduler %s started, every %s s", worker_name(), interval or app.config["SCHEDULER_INTERVAL"])
    stop.wait()
    scheduler.shutdown(wait=True)
    log.info("scheduler %s stopped", worker_name())
