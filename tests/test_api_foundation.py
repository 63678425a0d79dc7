"""API v1 authentication, /me and the OpenAPI document."""
from lms.auth import accounts
from lms.dbtypes import utcnow
from lms.extensions import db


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_me_with_a_valid_token(client, create_user):
    user = create_user(roles=("learner", "company_manager"))
    _token, clear = accounts.create_api_token(user, "report")
    db.session.commit()
    response = client.get("/api/v1/me", headers=_bearer(clear))
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == "learner@example.com" and body["roles"] == ["company_manager", "learner"]
    assert isinstance(body["id"], int) and body["created_at"].endswith("+00:00")


def test_missing_wrong_and_revoked_tokens_get_401_json(client, create_user):
    user = create_user()
    token, clear = accounts.create_api_token(user, "report")
    db.session.commit()
    for headers in ({}, _bearer("lms_wrong"), {"Authorization": f"Basic {clear}"}, {"Authorization": clear}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert "Bearer" in response.headers["WWW-Authenticate"]
    accounts.revoke_api_token(user, token.id, utcnow())
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401


def test_api_404_is_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_openapi_document_lists_me(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and "/me" in doc["paths"]


def test_tokens_page_shows_the_token_once_then_only_its_prefix(client, create_user, login):
    create_user()
    login()
    created = client.post("/settings/tokens", data={"token-name": "ITS script"}, follow_redirects=True)
    created = created.get_data(as_text=True)
    import re

    clear = re.search(r'value="(lms_[^"]+)"', created).group(1)
    later = client.get("/settings").get_data(as_text=True)
    assert clear not in later and clear[:12] in later and "ITS script" in later
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 200
    assert "never" not in client.get("/settings").get_data(as_text=True).split("ITS script")[1][:400]


def test_revoking_from_the_settings_page(client, create_user, login):
    user = create_user()
    token, clear = accounts.create_api_token(user, "old")
    db.session.commit()
    login()
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, create_user, login):
    owner = create_user("owner@example.com")
    token, clear = accounts.create_api_token(owner, "mine")
    db.session.commit()
    create_user("intruder@example.com")
    login("intruder@example.com")
    assert client.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=_bearer(clear)).status_code == 200
