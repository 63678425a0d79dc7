"""Sign-in, sign-out and sessions over HTTP."""
import pytest

from lms.extensions import db
from tests.conftest import PASSWORD


def test_sign_in_and_out(client, create_user, login):
    create_user()
    response = login()
    assert response.status_code == 302 and response.location == "/"
    assert "Lea Learner" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    page = client.get("/").get_data(as_text=True)
    assert "Lea Learner" not in page and "Sign in" in page


def test_unknown_email_and_wrong_password_get_the_same_message(client, create_user, login):
    create_user()
    wrong = login(password="not-the-password", follow=True).get_data(as_text=True)
    unknown = login(email="nobody@example.com", follow=True).get_data(as_text=True)
    assert "Wrong e-mail address or password." in wrong
    assert "Wrong e-mail address or password." in unknown


def test_deactivated_user_cannot_sign_in(client, create_user, login):
    user = create_user()
    user.is_active = False
    db.session.commit()
    assert "Wrong e-mail address or password." in login(follow=True).get_data(as_text=True)


def test_safe_next_after_login(client, create_user):
    create_user()
    ok = client.post("/login", data={"email": "learner@example.com", "password": PASSWORD, "next": "/settings"})
    assert ok.location == "/settings"


def test_forged_next_is_ignored(client, create_user):
    create_user()
    forged = client.post("/login", data={"email": "learner@example.com", "password": PASSWORD,
                                         "next": "//evil.example/phish"})
    assert forged.location == "/"


def test_login_required_pages_redirect_with_next(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def _session_cookie(client):
    return client.get_cookie("session").value


def test_logout_invalidates_a_replayed_session_cookie(app, create_user, login):
    create_user()
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    stolen = _session_cookie(client)
    assert client.get("/settings").status_code == 200
    client.post("/logout")

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    response = attacker.get("/settings")
    assert response.status_code == 302 and "/login" in response.location


def test_remember_me_cookie_is_set_and_dies_on_logout(app, create_user):
    create_user()
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None

    # A new browser with only the remember cookie is signed in...
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/settings").status_code == 200
    # ...until the user signs out anywhere.
    client.post("/logout")
    again = app.test_client()
    again.set_cookie("remember_token", remember.value)
    assert again.get("/settings").status_code == 302


def test_password_change_signs_out_other_sessions_but_not_this_one(app, create_user):
    create_user()
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        c.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    response = laptop.post("/settings/password", data={
        "current": PASSWORD, "password": "a-brand-new-phrase", "confirm": "a-brand-new-phrase"})
    assert response.status_code == 302
    assert laptop.get("/settings").status_code == 200
    assert phone.get("/settings").status_code == 302


def test_password_change_needs_the_current_password_and_keeps_input(app, client, create_user, login):
    create_user()
    login()
    response = client.post("/settings/password", data={
        "current": "wrong-one", "password": "a-brand-new-phrase", "confirm": "a-brand-new-phrase"})
    assert response.status_code == 400
    assert "This is not your current password." in response.get_data(as_text=True)


def test_deactivation_ends_existing_sessions(app, create_user):
    user = create_user()
    client = app.test_client()
    client.post("/login", data={"email": "learner@example.com", "password": PASSWORD})
    from lms.auth.accounts import deactivate
    from lms.dbtypes import utcnow

    deactivate(user, utcnow())
    db.session.commit()
    assert client.get("/settings").status_code == 302


def test_settings_change_language_and_timezone(client, create_user, login):
    user = create_user()
    login()
    response = client.post("/settings", data={"name": "Lea L.", "language": "it", "timezone": "America/New_York"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.language, user.timezone) == ("Lea L.", "it", "America/New_York")


def test_settings_refuse_an_unknown_time_zone(client, create_user, login):
    user = create_user()
    login()
    response = client.post("/settings", data={"name": "Lea", "language": "", "timezone": "Mars/Olympus"})
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.timezone == "Europe/Rome"


@pytest.mark.parametrize("path", ["/admin/users/", "/admin/organisations/", "/admin/users/invite"])
def test_admin_pages_refuse_other_roles(client, create_user, login, path):
    create_user(roles=("learner", "trainer", "company_manager"))
    login()
    assert client.get(path).status_code == 403
