"""One unit of work per request (lms.unit_of_work): a request that writes commits once, after its view, if it
succeeded; a failed one rolls back, with the mail it queued; a GET commits nothing unless it declares its one
deliberate write. Checked through real requests on views added for the test, read back on a connection of
its own (what another worker would see)."""
from email.message import EmailMessage

import pytest
from flask import abort
from sqlalchemy import func, select

from lms import unit_of_work
from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.notify import mail
from tests.conftest import outbox as eml_files


def stored_names() -> list[str]:
    with db.engine.connect() as connection:
        return sorted(connection.scalars(select(User.name)))


@pytest.fixture
def uow_app(app):
    done = []

    def add(name, status=200, declare=False, queue_mail=False):
        accounts.create_user(f"{name.lower()}@example.com", name, roles=["learner"])
        unit_of_work.after_commit(lambda: done.append(name))
        if queue_mail:
            msg = EmailMessage()
            msg["To"], msg["From"], msg["Subject"] = "lea@example.com", "no-reply@officina.example", f"About {name}"
            msg.set_content("Body")
            mail.queue(db.session, msg)
        if declare:
            unit_of_work.write_on_read()
        if status >= 400:
            abort(status)
        return "ok", status

    app.add_url_rule("/t/post-ok", "t_post_ok", lambda: add("Posted", queue_mail=True), methods=["POST"])
    app.add_url_rule("/t/post-redirect", "t_post_redirect", lambda: add("Redirected", 303), methods=["POST"])
    app.add_url_rule("/t/post-refused", "t_post_refused", lambda: add("Refused", 409, queue_mail=True),
                     methods=["POST"])
    app.add_url_rule("/t/get", "t_get", lambda: add("Read"))
    app.add_url_rule("/t/get-declared", "t_get_declared", lambda: add("Declared", declare=True))
    app.add_url_rule("/t/get-declared-404", "t_get_declared_404", lambda: add("Missing", 404, declare=True))
    app.done = done
    return app


def test_a_successful_write_commits_once_after_the_view_and_sends_its_mail(uow_app):
    client = uow_app.test_client()
    assert client.post("/t/post-ok").status_code == 200
    assert client.post("/t/post-redirect").status_code == 303
    assert stored_names() == ["Posted", "Redirected"]
    assert uow_app.done == ["Posted", "Redirected"]  # after-commit actions ran, in order
    assert [m["Subject"] for m in eml_files(uow_app)] == ["About Posted"]


def test_a_refused_write_rolls_back_with_its_mail_and_actions(uow_app):
    assert uow_app.test_client().post("/t/post-refused").status_code == 409
    assert stored_names() == []
    assert uow_app.done == [] and eml_files(uow_app) == []
    assert db.session.scalar(select(func.count(User.id))) == 0  # not left pending in the session either


def test_a_get_is_read_only_unless_it_declares_its_write(uow_app):
    client = uow_app.test_client()
    assert client.get("/t/get").status_code == 200
    assert stored_names() == [] and uow_app.done == []
    assert client.get("/t/get-declared").status_code == 200
    assert client.get("/t/get-declared-404").status_code == 404  # declared, but failed: rolled back
    assert client.get("/t/get").status_code == 200  # the declaration does not carry over to the next request
    assert stored_names() == ["Declared"]


def test_views_do_not_commit():
    """The rule the module states, kept: outside CLI commands, the scheduler and the deferred reset mail, no
    code under lms/ commits; the request does."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "lms"
    committing = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                        if ".commit()" in p.read_text(encoding="utf-8"))
    allowed = {"unit_of_work.py", "demo.py", "auth/views.py", "notify/outbox.py", "notify/scheduler.py"}
    assert [p for p in committing if p not in allowed and not p.endswith("cli.py")] == []


def test_a_request_that_never_uses_the_database_ends_no_session(app_factory):
    app = app_factory()  # no app context kept open: each request has its own, as in production
    app.add_url_rule("/t/count", "t_count", lambda: str(db.session.scalar(select(func.count(User.id)))))
    made = []
    create = db.session.registry.createfunc
    db.session.registry.createfunc = lambda: made.append(1) or create()
    try:
        client = app.test_client()
        assert client.get("/static/css/app.css").status_code == 200
        assert made == []  # neither opened by the unit of work to roll back nothing, nor closed after
        assert client.get("/t/count").get_data(as_text=True) == "0"
        assert made == [1]
    finally:
        db.session.registry.createfunc = create
