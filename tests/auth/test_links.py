"""Password reset and invitation links, end to end through the mail outbox and a real SMTP server."""
import re
import time

from lms.auth.models import User
from lms.extensions import db
from tests.conftest import outbox


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_forgot_password_mails_a_single_use_link(app, client, create_user):
    create_user()
    response = client.post("/password/forgot", data={"email": "Learner@Example.com"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    [message] = outbox(app)
    assert message["To"] == "learner@example.com"
    link = _link(message)

    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.get_data(as_text=True)
    weak = client.post(link, data={"password": "12345678", "confirm": "12345678"})
    assert "most common" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": "an-entirely-new-one", "confirm": "an-entirely-new-one"})
    assert done.status_code == 302

    client.post("/logout")
    assert client.post("/login", data={"email": "learner@example.com", "password": "an-entirely-new-one"}).location == "/"
    reused = client.get(link)
    assert reused.status_code == 410 and "no longer works" in reused.get_data(as_text=True)


def test_forgot_password_for_unknown_address_says_the_same_and_sends_nothing(app, client):
    response = client.post("/password/forgot", data={"email": "ghost@example.com"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_a_forged_reset_token_is_refused(client):
    assert client.get("/password/reset/not-a-real-token").status_code == 410


def test_invitation_sets_the_password_and_signs_in(app, client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin",))
    login("admin@example.com")
    client.post("/admin/organisations/new", data={"name": "Ceramiche Sassuolo", "kind": "company", "city": ""})
    response = client.post("/admin/users/invite", data={
        "email": "New.Hire@Example.com", "name": "Nina Nuova", "role": "learner", "organisation": 1,
        "membership": "member"})
    assert response.status_code == 302
    invited = User.by_email("new.hire@example.com")
    assert invited is not None and not invited.has_password
    assert [m.organisation.name for m in invited.memberships] == ["Ceramiche Sassuolo"]
    client.post("/logout")

    [message] = outbox(app)
    assert "Ceramiche Sassuolo invites you" in message.get_body(("plain",)).get_content()
    link = _link(message)
    assert "Welcome, Nina Nuova" in client.get(link).get_data(as_text=True)
    done = client.post(link, data={"password": "ceramic-tiles-2026", "confirm": "ceramic-tiles-2026"})
    assert done.status_code == 302
    assert "Nina Nuova" in client.get("/").get_data(as_text=True)


def test_inviting_an_existing_person_adds_the_role_without_a_mail(app, client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin",))
    person = create_user("tina@example.com", "Tina Trainer", roles=("learner",))
    login("admin@example.com")
    client.post("/admin/users/invite", data={"email": "TINA@example.com", "name": "x", "role": "trainer",
                                             "organisation": 0, "membership": "member"})
    db.session.refresh(person)
    assert person.roles == {"learner", "trainer"}
    assert outbox(app) == []


def test_mail_goes_through_smtp_when_a_host_is_set(app_factory, smtp_sink):
    sink = smtp_sink
    app = app_factory(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port)
    from lms.auth import accounts

    with app.app_context():
        accounts.create_user("lea@example.com", "Lea", password="correct-horse-battery")
        db.session.commit()
    app.test_client().post("/password/forgot", data={"email": "lea@example.com"}).close()  # as a server does
    for _ in range(50):
        if sink.messages:
            break
        time.sleep(0.05)
    [envelope] = sink.envelopes
    assert envelope.rcpt_tos == ["lea@example.com"]
    assert b"/password/reset/" in envelope.content


def test_a_rolled_back_transaction_sends_no_mail(app):
    from lms.notify import mail

    with app.test_request_context():
        mail.queue(db.session, mail.build_message("x@example.com", "S", "auth/email/reset_password",
                                                  user=User(name="X"), link="http://l", hours=1))
        db.session.rollback()
        db.session.commit()
    assert outbox(app) == []
