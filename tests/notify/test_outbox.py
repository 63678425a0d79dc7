"""The outbox: a message exists only if its transaction commits, is queued once per key, is claimed by
exactly one worker, survives a worker that dies holding it, and is retried with backoff, then marked failed."""
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.notify import mail, outbox
from lms.notify.models import OutboxMessage
from tests.conftest import outbox as eml_files
from tests.support import NOW

FROM = "Officina 4.0 <no-reply@officina.example>"


def message(to="lea@example.com", subject="Hello"):
    msg = EmailMessage()
    msg["To"], msg["From"], msg["Subject"] = to, FROM, subject
    msg.set_content("Body")
    return msg


def put(key="k1", due=NOW, topic=None, **kw):
    row = outbox.enqueue(db.session, message(**kw), key=key, kind="reminder", due_at=due, mail_from=FROM, topic=topic)
    db.session.commit()
    return row


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


def test_mail_queued_in_a_request_is_sent_after_commit_and_not_after_rollback(app):
    with app.test_request_context():
        mail.queue(db.session, message(subject="Rolled back"))
        db.session.rollback()
        mail.queue(db.session, message(subject="Committed"))
        db.session.commit()
    [sent] = eml_files(app)
    assert sent["Subject"] == "Committed"
    rows = list(db.session.scalars(select(OutboxMessage)))
    assert [(r.subject, r.status) for r in rows] == [("Committed", "sent")]
    assert sent["Message-ID"] == outbox.message_id_for(rows[0].key, app.config["MAIL_FROM"])


def test_one_key_is_one_message_and_requeueing_moves_it(app):
    put(due=NOW + timedelta(hours=20))
    row = put(due=NOW + timedelta(hours=22), subject="Moved")
    rows = list(db.session.scalars(select(OutboxMessage)))
    assert len(rows) == 1 and rows[0].due_at == NOW + timedelta(hours=22) and rows[0].subject == "Moved"
    assert outbox.dispatch_due(db.session, worker="w", clock=Clock(NOW + timedelta(hours=21)), send=print).sent == 0
    sent = []
    assert outbox.dispatch_due(db.session, worker="w", clock=Clock(row.due_at), send=sent.append).sent == 1
    # Sent: queueing the same key again changes nothing and sends nothing.
    put(due=NOW + timedelta(hours=30))
    db.session.refresh(row)
    assert row.status == "sent" and row.due_at == NOW + timedelta(hours=22)
    assert outbox.dispatch_due(db.session, worker="w", clock=Clock(NOW + timedelta(days=9)), send=sent.append).sent == 0
    assert len(sent) == 1


def test_cancel_drops_only_unsent_messages_of_the_topic(app):
    put("a", topic="booking:1")
    put("b", topic="booking:1", due=NOW + timedelta(days=1))
    put("c", topic="booking:2")
    outbox.dispatch_due(db.session, worker="w", clock=Clock(), send=lambda m: None)  # sends a and c
    assert outbox.cancel(db.session, "booking:1") == 1
    db.session.commit()
    statuses = dict(db.session.execute(select(OutboxMessage.key, OutboxMessage.status)).all())
    assert statuses == {"a": "sent", "b": "cancelled", "c": "sent"}


def test_two_workers_claim_one_row_once(app):
    row = put()
    assert outbox.claim(db.session, [row.id], worker="one", now=NOW) == [row.id]
    assert outbox.claim(db.session, [row.id], worker="two", now=NOW + timedelta(seconds=59)) == []
    db.session.refresh(row)
    assert (row.status, row.claimed_by, row.attempts) == ("sending", "one", 1)


def test_a_row_held_by_a_dead_worker_is_sent_by_another_after_the_lease(app):
    row = put()
    assert outbox.claim(db.session, [row.id], worker="dead", now=NOW) == [row.id]
    sent = []
    early = outbox.dispatch_due(db.session, worker="alive", clock=Clock(NOW + timedelta(seconds=30)), send=sent.append)
    assert early.sent == 0
    late = outbox.dispatch_due(db.session, worker="alive", clock=Clock(NOW + timedelta(seconds=61)), send=sent.append)
    assert late.sent == 1 and sent[0]["Message-ID"] == outbox.message_id_for("k1", FROM)
    db.session.refresh(row)
    assert row.status == "sent" and row.claimed_by.startswith("alive:")


def test_a_failing_send_is_retried_with_backoff_then_marked_failed(app):
    row = put()
    clock = Clock()

    def refuse(msg):
        raise smtplib.SMTPRecipientsRefused({"lea@example.com": (550, b"no such user")})

    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        result = outbox.dispatch_due(db.session, worker="w", clock=clock, send=refuse)
        db.session.refresh(row)
        if attempt < outbox.MAX_ATTEMPTS:
            assert (result.retried, row.status) == (1, "queued")
            waits.append(row.due_at - clock.now)
            clock.now = row.due_at
        else:
            assert (result.failed, row.status) == (1, "failed")
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert "SMTPRecipientsRefused" in row.last_error and "no such user" in row.last_error
    clock.now += timedelta(days=1)
    assert outbox.dispatch_due(db.session, worker="w", clock=clock, send=refuse).failed == 0  # failed stays failed


@pytest.mark.parametrize("status", ["failed"])
def test_admins_see_failed_messages_with_their_error_and_can_queue_them_again(app, client, create_user, login, status):
    row = put()
    row.status, row.last_error = status, "SMTPServerDisconnected: gone"
    db.session.commit()
    create_user("root@example.com", "Root", roles=("admin",))
    login("root@example.com")
    page = client.get("/admin/outbox/?status=failed").get_data(as_text=True)
    assert "lea@example.com" in page and "SMTPServerDisconnected: gone" in page
    assert "No scheduler has run recently" in page
    client.post(f"/admin/outbox/{row.id}/retry")
    db.session.refresh(row)
    assert row.status == "queued" and row.last_error is None and row.attempts == 0


def test_the_outbox_page_is_for_admins_only(app, client, create_user, login):
    create_user()
    login()
    assert client.get("/admin/outbox/").status_code == 403
