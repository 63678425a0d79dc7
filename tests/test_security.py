"""Cross-cutting protections: CSRF on every form post, login rate limit, security headers."""
import pytest

from tests.conftest import PASSWORD


def test_every_non_api_post_route_refuses_a_post_without_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", "1").replace(f"<int:{arg}>", "1").replace(f"<path:{arg}>", "x")
        url = __import__("re").sub(r"<[^>]+>", "1", url)
        response = client.post(url, data={"email": "a@example.com", "password": "x"})
        assert response.status_code == 400, f"{rule.rule} accepted a post without a CSRF token"
        checked += 1
    assert checked >= 10


def test_a_form_with_its_token_is_accepted(app_factory):
    import re

    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": "x@example.com", "password": "nope-nope"})
    assert response.status_code == 200 and "Wrong e-mail address or password." in response.get_data(as_text=True)


def test_login_is_rate_limited_with_the_same_message_afterwards(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    from lms.auth import accounts
    from lms.extensions import db

    with app.app_context():
        accounts.create_user("lea@example.com", "Lea", password=PASSWORD)
        db.session.commit()
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "lea@example.com", "password": f"guess-number-{i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 200]
    blocked = client.post("/login", data={"email": "lea@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many" in blocked.get_data(as_text=True) or "429" in blocked.get_data(as_text=True)


def test_the_per_address_limit_holds_across_client_addresses(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for i in range(2):
        client.post("/login", data={"email": "target@example.com", "password": "x"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
    third = client.post("/login", data={"email": "target@example.com", "password": "x"},
                        environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert third.status_code == 429


@pytest.mark.parametrize("path", ["/", "/login", "/does-not-exist"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_each_security_header_once_a_views_own_kept_and_hsts_with_secure_cookies(app_factory):
    app = app_factory(BASE_URL="https://lms.example")  # served over HTTPS: secure cookies

    @app.get("/own-policy")
    def own_policy():
        return "x", {"content-security-policy": "default-src 'none'", "X-Frame-Options": "SAMEORIGIN"}

    response = app.test_client().get("/own-policy")
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]
    assert response.headers.getlist("Strict-Transport-Security") == ["max-age=31536000"]
    assert "Strict-Transport-Security" not in app_factory().test_client().get("/login").headers


def test_pages_have_no_inline_script(client, create_user, login):
    import re

    create_user(roles=("admin",))
    login()
    for path in ["/", "/settings", "/admin/users/", "/admin/organisations/"]:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


def test_error_pages_use_the_layout(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True) and "Officina 4.0" in response.get_data(as_text=True)


def test_server_errors_show_the_500_page(app_factory):
    app = app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_with_redis_the_limit_is_shared_by_every_worker(app_factory):
    """Two app instances (two workers) count login attempts in the same Redis."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running")
    first = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", REDIS_URL=url)
    second = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", REDIS_URL=url)
    assert first.config["RATELIMIT_STORAGE_URI"] == url
    data = {"email": "target@example.com", "password": "x"}
    assert first.test_client().post("/login", data=data).status_code == 200
    assert second.test_client().post("/login", data=data).status_code == 200
    assert second.test_client().post("/login", data=data).status_code == 429
    redis.Redis.from_url(url).flushdb()
