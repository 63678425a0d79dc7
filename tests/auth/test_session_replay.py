"""Cookies copied before a logout are worth nothing after it, on every page (issue 16).

The login cookie carries the user's session key (lms/auth/models.py: User.get_id); logout changes it, so a
replayed session cookie, remember-me cookie or both together load nobody. Checked on every GET page without a
variable, comparing the replay with what a visitor gets: the same status and the same redirect.
"""
import pytest

from tests.conftest import PASSWORD


def _pages(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/api/"))


def _answer(client, path):
    response = client.get(path)
    return response.status_code, response.headers.get("Location")


@pytest.mark.parametrize("cookies", [("session",), ("remember_token",), ("session", "remember_token")])
def test_cookies_replayed_after_logout_sign_nobody_in(app, create_user, cookies):
    user = create_user("staff@example.com", "Sara Staff", roles=("learner", "trainer", "coordinator", "its_staff"))
    victim = app.test_client()
    victim.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    stolen = {name: victim.get_cookie(name).value for name in cookies}

    before = app.test_client()  # the copied cookies work while the victim is signed in...
    for name, value in stolen.items():
        before.set_cookie(name, value)
    assert before.get("/settings").status_code == 200
    assert victim.post("/logout").status_code == 302

    visitor = app.test_client()
    differ = []
    for path in _pages(app):
        attacker = app.test_client()  # ...and after the logout they are a visitor's, everywhere
        for name, value in stolen.items():
            attacker.set_cookie(name, value)
        if _answer(attacker, path) != _answer(visitor, path):
            differ.append(path)
    assert not differ, f"a replayed {'+'.join(cookies)} cookie still signs in on {differ}"
    assert "/settings" in _pages(app) and "/progress/me" in _pages(app)
