"""The settings page: the profile form and the API-token form are separate, and a token is shown after a redirect."""
import re

from lms.auth.models import User
from lms.extensions import db


def _inputs(html, attribute, value):
    return re.findall(rf'<input[^>]*\b{attribute}="{value}"', html)


def test_profile_and_token_forms_have_distinct_field_names_and_ids(client, create_user, login):
    create_user()
    login()
    html = client.get("/settings").get_data(as_text=True)
    assert len(_inputs(html, "name", "name")) == 1 and len(_inputs(html, "id", "name")) == 1
    assert len(_inputs(html, "name", "token-name")) == 1 and len(_inputs(html, "id", "token-name")) == 1


def test_creating_a_token_redirects_and_never_renames_the_person(client, create_user, login):
    user = create_user(name="Lea Learner")
    login()
    response = client.post("/settings/tokens", data={"token-name": "ITS script"})
    assert response.status_code == 302 and response.location.startswith("/settings")
    page = client.get(response.location).get_data(as_text=True)
    assert re.search(r'value="lms_[^"]+"', page)  # shown once ...
    assert 'value="Lea Learner"' in page and 'value="ITS script"' not in page
    assert not re.search(r'value="lms_[^"]+"', client.get("/settings").get_data(as_text=True))  # ... then never
    # Saving the profile form as the page shows it keeps the name.
    client.post("/settings", data={"name": "Lea Learner", "language": "", "timezone": "Europe/Rome"})
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Lea Learner"


def test_an_empty_token_name_is_refused_without_touching_the_profile(client, create_user, login):
    create_user(name="Lea Learner")
    login()
    response = client.post("/settings/tokens", data={"token-name": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Lea Learner"' in html and "is-invalid" in html


def test_the_addresses_forms_post_to_redirect_a_reload_to_the_settings_page(client, create_user, login):
    create_user()
    login()
    for path in ("/settings/tokens", "/settings/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/settings"
