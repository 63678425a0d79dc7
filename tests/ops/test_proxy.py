"""LMS_PROXY_FIX: behind a proxy the client's address comes from X-Forwarded-For (and rate limits count per
client, not per proxy); without the setting the header is the client's to forge, and is ignored."""
import pytest

from lms import config as lms_config


def _logins(client, forwarded_for):
    """Five failed sign-ins, each for another account, from the given X-Forwarded-For addresses in turn."""
    codes = []
    for n, address in enumerate(forwarded_for):
        codes.append(client.post("/login", data={"email": f"nobody{n}@example.com", "password": "wrong-password"},
                                 headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}).status_code)
    return codes


@pytest.fixture
def limited(app_factory):
    def make(proxies):
        return app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                           LOGIN_RATE_LIMIT="2 per minute", PROXY_FIX=proxies).test_client()
    return make


def test_behind_one_proxy_each_client_has_its_own_counter(limited):
    client = limited(1)
    # Two tries each from three clients: nobody reaches the limit of 2 ...
    assert _logins(client, ["203.0.113.1", "203.0.113.2", "203.0.113.3"] * 2) == [200] * 6
    # ... until one of them tries a third time.
    assert _logins(client, ["203.0.113.1"]) == [429]


def test_the_proxy_scheme_and_client_address_reach_the_app(app_factory):
    app = app_factory(PROXY_FIX=1)

    @app.get("/test-where")
    def where():
        from flask import request
        return {"remote_addr": request.remote_addr, "scheme": request.scheme}

    answer = app.test_client().get("/test-where", headers={
        "X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"}).get_json()
    # One proxy: only the address it added (the last) is trusted, not what the client put before it.
    assert answer == {"remote_addr": "203.0.113.9", "scheme": "https"}


def test_without_the_setting_forwarded_headers_are_ignored(limited):
    client = limited(0)
    # Forged X-Forwarded-For headers do not give a client fresh counters.
    assert _logins(client, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200, 200, 429]


def test_the_setting_comes_from_the_environment(monkeypatch, tmp_path):
    from flask import Flask

    monkeypatch.setenv("LMS_PROXY_FIX", "2")
    app = Flask("x", instance_path=str(tmp_path))
    lms_config.load(app)
    assert app.config["PROXY_FIX"] == 2
