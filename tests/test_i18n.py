"""Language choice and time zones."""
from datetime import UTC, datetime

from lms.auth import accounts
from lms.auth.models import ApiToken
from lms.extensions import db


def test_times_are_shown_in_the_users_time_zone(client, create_user, login):
    user = create_user()
    user.timezone = "America/New_York"
    token, _clear = accounts.create_api_token(user, "tz")
    db.session.get(ApiToken, token.id).created_at = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    db.session.commit()
    login()
    page = client.get("/settings").get_data(as_text=True)
    assert "8:30" in page  # 12:30 UTC is 08:30 in New York in July
    assert "Times are shown in America/New_York." in page


def test_visitors_switch_language_and_it_is_remembered(client):
    response = client.post("/language", data={"language": "it", "next": "/login"})
    assert response.status_code == 302 and response.location == "/login"
    assert 'lang="it"' in client.get("/login").get_data(as_text=True)


def test_the_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert response.location == "/"
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_browser_preference_picks_italian(client):
    assert 'lang="it"' in client.get("/", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"}).get_data(as_text=True)


def test_a_signed_in_users_language_wins(client, create_user, login):
    user = create_user()
    user.language = "it"
    db.session.commit()
    login()
    assert 'lang="it"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_interface_is_in_italian_for_an_italian_browser(client):
    page = client.get("/login", headers={"Accept-Language": "it-IT,it;q=0.9"}).get_data(as_text=True)
    assert "Accedi" in page and "Hai dimenticato la password?" in page
    english = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Forgot your password?" in english


def test_role_and_organisation_words_are_translated(client, create_user, login):
    create_user(roles=("admin", "learner"))
    login()
    client.post("/language", data={"language": "it"})
    page = client.get("/admin/users/").get_data(as_text=True)
    assert "Amministratore" in page and "Partecipante" in page
    client.post("/admin/organisations/new", data={"name": "ITS Test", "kind": "its"})
    assert "Fondazione ITS" in client.get("/admin/organisations/").get_data(as_text=True)


def test_the_language_switch_on_a_page_answering_a_post_leads_to_a_page_with_a_get(app):
    from lms.i18n import language_next

    with app.test_request_context("/settings/tokens/1/revoke", method="POST",
                                  headers={"Referer": "http://localhost/settings?x=1"}):
        assert language_next() == "/settings?x=1"
    with app.test_request_context("/settings/tokens/1/revoke", method="POST",
                                  headers={"Referer": "https://evil.example/settings"}):
        assert language_next() == "/"
    with app.test_request_context("/settings", method="POST"):
        assert language_next() == "/settings"
    with app.test_request_context("/courses/?q=x", method="GET"):
        assert language_next() == "/courses/?q=x"
