"""The page frame's links (lms.templating.shared_url): built once per mount prefix, still right under another
prefix, another host or in debug mode."""
import re


def _stylesheet(html: str) -> str:
    return re.search(r'href="([^"]*/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)


def test_the_frame_links_follow_the_prefix_the_app_is_mounted_under(client):
    plain = client.get("/login").get_data(as_text=True)
    mounted = client.get("/login", base_url="http://localhost/lms/").get_data(as_text=True)
    again = client.get("/login").get_data(as_text=True)
    assert _stylesheet(plain).startswith("/static/css/app.css?v=") and _stylesheet(again) == _stylesheet(plain)
    assert _stylesheet(mounted) == "/lms" + _stylesheet(plain)
    assert 'action="/lms/language"' in mounted and 'action="/language"' in again


def test_each_link_is_built_once_per_prefix_except_in_debug_mode(app):
    built = []

    @app.url_defaults
    def count(endpoint, _values):
        if endpoint == "auth.settings":
            built.append(endpoint)

    shared_url = app.jinja_env.globals["shared_url"]
    for _ in range(3):
        with app.test_request_context("/"):
            assert shared_url("auth.settings") == "/settings"
        with app.test_request_context("/", base_url="http://localhost/lms/"):
            assert shared_url("auth.settings") == "/lms/settings"
    assert len(built) == 2
    app.debug = True  # files edited while the server runs get a new hash: every call asks url_for
    with app.test_request_context("/"):
        shared_url("auth.settings")
        shared_url("auth.settings")
    assert len(built) == 4


def test_a_full_url_is_never_kept_since_it_names_the_host(app):
    shared_url = app.jinja_env.globals["shared_url"]
    for host in ("one.example", "two.example", "one.example"):
        with app.test_request_context("/", base_url=f"http://{host}/"):
            assert shared_url("auth.settings", _external=True) == f"http://{host}/settings"
