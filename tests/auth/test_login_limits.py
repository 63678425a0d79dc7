"""Security findings 1 and 5: the per-account login limit counts every spelling of an address together, lets a
browser that signed in before through with the right password while strangers get 429."""
import pytest

from lms.auth import accounts, login_limits
from lms.extensions import db
from tests.conftest import PASSWORD

SPELLINGS = ["lea@example.com", "LEA@EXAMPLE.COM", "lea@ｅｘａｍｐｌｅ.com", " Lea@Ｅxample.Com "]


@pytest.fixture
def limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        accounts.create_user("lea@example.com", "Lea", password=PASSWORD)
        db.session.commit()
    return app


def post_login(client, email, password, ip):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def test_every_spelling_of_an_address_shares_one_counter(limited):
    client = limited.test_client()
    statuses = [post_login(client, email, "wrong-guess", f"10.0.0.{i}").status_code
                for i, email in enumerate(SPELLINGS)]
    assert statuses == [200, 200, 200, 429]


def test_a_browser_that_signed_in_before_passes_with_the_right_password_while_strangers_get_429(limited):
    lea = limited.test_client()
    assert post_login(lea, "lea@example.com", PASSWORD, "192.0.2.10").status_code == 302
    cookie = lea.get_cookie(login_limits.COOKIE, path="/login")
    assert cookie is not None and cookie.http_only and "lea@example.com" not in cookie.value
    lea.post("/logout")

    stranger = limited.test_client()
    for i in range(3):
        post_login(stranger, "lea@example.com", f"guess-{i}", f"203.0.113.{i}")
    assert post_login(stranger, "lea@example.com", PASSWORD, "203.0.113.50").status_code == 429  # locked for strangers

    # Lea's own browser is counted on its own: the right password still signs her in.
    assert post_login(lea, "LEA@example.com", PASSWORD, "192.0.2.10").status_code == 302

    # A new browser, or a forged cookie, is a stranger.
    fresh = limited.test_client()
    assert post_login(fresh, "lea@example.com", PASSWORD, "192.0.2.11").status_code == 429
    fresh.set_cookie(login_limits.COOKIE, cookie.value[:-2] + "xx", path="/login")
    assert post_login(fresh, "lea@example.com", PASSWORD, "192.0.2.11").status_code == 429


def test_the_device_cookie_is_per_account(limited):
    with limited.app_context():
        accounts.create_user("max@example.com", "Max", password=PASSWORD)
        db.session.commit()
    lea = limited.test_client()
    assert post_login(lea, "lea@example.com", PASSWORD, "192.0.2.10").status_code == 302
    lea.post("/logout")
    stranger = limited.test_client()
    for i in range(4):
        post_login(stranger, "max@example.com", f"guess-{i}", f"203.0.113.{i}")
    # Lea's browser never signed in as Max: for Max's account it is a stranger too.
    assert post_login(lea, "max@example.com", PASSWORD, "192.0.2.10").status_code == 429


def test_a_known_browser_has_a_limit_of_its_own(limited):
    lea = limited.test_client()
    post_login(lea, "lea@example.com", PASSWORD, "192.0.2.10")
    lea.post("/logout")
    statuses = [post_login(lea, "lea@example.com", f"guess-{i}", f"192.0.2.{20 + i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]  # the same limit, on its own counter: a stolen cookie is no free pass
