"""Flask-Login's user load (lms.auth.views.load_user): one statement for the person and their roles, and only
while the cookie's session key is current and the account active."""
from sqlalchemy import event

from lms.auth.views import load_user
from lms.extensions import db
from tests.conftest import PASSWORD


def _statements(action):
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, seen


def test_the_current_key_loads_the_person_and_roles_in_one_statement(app, create_user):
    user = create_user("tina@example.com", "Tina", roles=("trainer", "learner"))
    cookie_id, user_id = user.get_id(), user.id
    db.session.expunge_all()  # as at the start of a request: nothing loaded yet
    loaded, statements = _statements(lambda: load_user(cookie_id))
    assert loaded.id == user_id and loaded.name == "Tina"
    assert len(statements) == 1
    roles, more = _statements(lambda: (loaded.roles, loaded.is_admin, loaded.has_role("trainer")))
    assert roles == ({"trainer", "learner"}, False, True) and more == []  # the roles came with the person


def test_a_rotated_key_an_inactive_account_or_a_malformed_id_loads_nobody(app, create_user):
    user = create_user()
    old = user.get_id()
    user.end_all_sessions()
    db.session.commit()
    assert load_user(old) is None
    assert load_user(user.get_id()).id == user.id
    for malformed in ("", f"{user.id}", f"{user.id}:", f"x{user.id}:{user.session_key}", None):
        assert load_user(malformed) is None
    user.is_active = False
    db.session.commit()
    assert load_user(user.get_id()) is None


def test_an_account_made_inactive_is_signed_out_even_with_its_key_unchanged(app, create_user):
    user = create_user()
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    assert client.get("/settings").status_code == 200
    user.is_active = False  # the session key stays as it was
    db.session.commit()
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.location


def test_roles_changed_while_signed_in_are_the_ones_the_next_request_sees(app, create_user):
    user = create_user()
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    assert "Authoring" not in client.get("/settings").get_data(as_text=True)
    user.add_role("trainer")
    db.session.commit()
    assert "Authoring" in client.get("/settings").get_data(as_text=True)
