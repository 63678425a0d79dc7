"""Security finding 4: asking for a reset link does the same work for a known and an unknown address.

Measured as work, not time: the SQL statements the request runs and the mail it sends before its response is
complete must be the same either way; the lookup, the link and the mail happen once the response has gone
(a WSGI server closes the response after sending it; the test does the same with response.close()).
"""
from sqlalchemy import event, func, select

from lms.extensions import db
from lms.notify.models import OutboxMessage
from tests.conftest import outbox


def _request_work(app, client, email):
    statements = []
    mails, rows = len(outbox(app)), db.session.scalar(select(func.count()).select_from(OutboxMessage))

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post("/password/forgot", data={"email": email})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    work = {"statements": statements, "new mails": len(outbox(app)) - mails,
            "new outbox rows": db.session.scalar(select(func.count()).select_from(OutboxMessage)) - rows,
            "answer": (response.status_code, response.headers["Location"])}
    response.close()  # the server has sent it: the deferred step runs now
    return work


def test_known_and_unknown_addresses_cost_the_request_the_same(app, client, create_user):
    create_user()  # learner@example.com
    known = _request_work(app, client, "Learner@Example.com")
    mails_after_known = len(outbox(app))
    unknown = _request_work(app, client, "ghost@example.com")
    malformed = _request_work(app, client, "not-an-address@")

    assert known == unknown == malformed
    assert known["new mails"] == 0 and known["new outbox rows"] == 0  # nothing mailed or queued while one waits
    assert mails_after_known == 1 and len(outbox(app)) == 1  # then the known address, and only it, gets its link
    assert outbox(app)[0]["To"] == "learner@example.com"


def test_the_deferred_step_follows_the_persons_language(app, client, create_user):
    user = create_user()
    user.language = "it"
    db.session.commit()
    client.post("/password/forgot", data={"email": "learner@example.com"}).close()
    [message] = outbox(app)
    assert message["Subject"] != "Reset your Officina 4.0 password"  # Italian
