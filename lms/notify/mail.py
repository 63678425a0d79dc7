"""E-mail: build a message from a .txt + .html template pair and send it after the commit.

With LMS_SMTP_HOST set, mail goes through SMTP; without it, each message is written as an .eml file into
instance/outbox/ so a developer can open it. Messages are queued on the database session and sent only once
the transaction commits, so a rolled-back change never e-mails anyone.
"""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, has_request_context, render_template, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

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


def send_message(msg: EmailMessage, config=None):
    """Deliver one message now, through SMTP or into the outbox folder."""
    config = config or current_app.config
    if not config["SMTP_HOST"]:
        outbox = Path(config["OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = msg["Message-ID"].strip("<>").replace("/", "_").replace("@", "_at_")
        (outbox / f"{name}.eml").write_bytes(bytes(msg))
        return
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30) as smtp:
        if config["SMTP_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(msg)


def queue(session: Session, msg: EmailMessage):
    """Send `msg` when `session` commits; drop it if the session rolls back."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before the next commit is seen and drops the message
    session.info.setdefault(_QUEUE_KEY, []).append((msg, current_app._get_current_object()))


@event.listens_for(Session, "after_commit")
def _flush_queue(session):
    pending = session.info.pop(_QUEUE_KEY, [])
    for msg, app in pending:
        try:
            send_message(msg, app.config)
        except (OSError, smtplib.SMTPException):
            # Nothing to roll back any more: log loudly so an operator can resend.
            app.logger.exception("Could not send mail %s to %s", msg["Message-ID"], msg["To"])


@event.listens_for(Session, "after_soft_rollback")
def _drop_queue(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint rolling back leaves the outer transaction's mail
        session.info.pop(_QUEUE_KEY, None)
