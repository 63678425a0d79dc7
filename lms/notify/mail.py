"""E-mail: build a message from a .txt + .html template pair, owe it in the outbox, deliver it.

With LMS_SMTP_HOST set, mail goes through SMTP; without it, each message is written as an .eml file into
instance/outbox/ so a developer can open it. Every message is an outbox row written in the transaction of
the change that causes it (lms/notify/outbox.py), so a rolled-back change never e-mails anyone and a crash
after the commit loses nothing.
"""
import os
import smtplib
import socket
import ssl
import threading
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, has_request_context, render_template, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.notify import outbox

_QUEUE_KEY = "lms_mail_queue"


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: LMS_BASE_URL plus the route, so it is right behind a proxy and from the CLI."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, **values)


def build_message(to: str, subject: str, template: str, message_id: str | None = None, **context) -> EmailMessage:
    """A multipart message from templates `<template>.txt` and `<template>.html`."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id or make_msgid(domain="officina.example")
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    msg.set_content(render_template(f"{template}.txt", **context))
    msg.add_alternative(render_template(f"{template}.html", **context), subtype="html")
    return msg


class Mailer:
    """Delivers messages through one SMTP connection, opened on first use and again if the server drops it,
    or into the outbox folder when no SMTP host is set. Use as a context manager; a batch of reminders
    then costs one connection, not one each."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None

    def _connect(self):
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30)
        if config["SMTP_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        return smtp

    def __call__(self, msg: EmailMessage):
        config = self.config
        if not config["SMTP_HOST"]:
            outbox_dir = Path(config["OUTBOX_DIR"])
            outbox_dir.mkdir(parents=True, exist_ok=True)
            name = msg["Message-ID"].strip("<>").replace("/", "_").replace("@", "_at_")
            (outbox_dir / f"{name}.eml").write_bytes(bytes(msg))
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except smtplib.SMTPServerDisconnected:
            self.smtp = self._connect()  # a server that closed an idle connection: once more, on a new one
            self.smtp.send_message(msg)


def send_message(msg: EmailMessage, config=None):
    """Deliver one message now, through SMTP or into the outbox folder."""
    with Mailer(config or current_app.config) as mailer:
        mailer(msg)


def queue(session: Session, msg: EmailMessage, *, key: str | None = None, kind: str = "mail",
          due_at: datetime | None = None, user_id: int | None = None, topic: str | None = None):
    """Owe `msg` (from `due_at`, default now) as an outbox row in the session's transaction: it exists only
    if the change that causes it commits. Rows due now are sent right after the commit by this process
    (MAIL_IMMEDIATE), and by the scheduler otherwise or if that fails."""
    if isinstance(session, scoped_session):
        session = session()
    app = current_app._get_current_object()
    now = utcnow()
    key = key or f"mail:{msg['Message-ID'] or make_msgid()}"
    row = outbox.enqueue(session, msg, key=key, kind=kind, due_at=due_at or now, mail_from=app.config["MAIL_FROM"],
                         user_id=user_id, topic=topic)
    if row.due_at <= now:
        session.info.setdefault(_QUEUE_KEY, []).append((row.id, app))


def deliver_now(app, ids: list[int]):
    """Send these outbox rows if they are still unclaimed (another process may have been quicker)."""
    with app.app_context(), Session(db.engine) as session, Mailer(app.config) as mailer:
        result = outbox.dispatch_due(session, worker=f"web:{socket.gethostname()}:{os.getpid()}", clock=utcnow,
                                     send=mailer, ids=ids,
                                     lease=int(app.config["OUTBOX_LEASE_SECONDS"]))
        if result.retried or result.failed:
            app.logger.warning("Mail not sent yet (%d will be retried by the scheduler, %d failed)",
                               result.retried, result.failed)


@event.listens_for(Session, "after_commit")
def _flush_queue(session):
    pending = session.info.pop(_QUEUE_KEY, [])
    if not pending:
        return
    app = pending[0][1]
    ids = [row_id for row_id, _app in pending]
    mode = app.config.get("MAIL_IMMEDIATE", "thread")
    if mode == "inline":
        deliver_now(app, ids)
    elif mode == "thread":
        # The rows are committed: if this thread dies, the scheduler sends them once their lease runs out.
        threading.Thread(target=deliver_now, args=(app, ids), name="mail-after-commit", daemon=True).start()


@event.listens_for(Session, "after_soft_rollback")
def _drop_queue(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint rolling back leaves the outer transaction's mail
        session.info.pop(_QUEUE_KEY, None)
