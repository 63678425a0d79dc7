"""Security finding 8: every redirect built from request data goes through safe_next (lms/auth/redirects.py).

`back=/%09/evil.com` reached the browser as "/\\t/evil.com", which browsers read as //evil.com. The sweep below
posts and gets every route with hostile `next`/`back` values and checks that no Location leaves the site.
"""
import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.courses.reading_factories import make_course

HOSTILE = ["/\t/evil.example", "/%09/evil.example", "//evil.example", "https://evil.example/",
           "/\\evil.example", "\\\\evil.example", " //evil.example", "/\n/evil.example", "javascript:alert(1)"]


def lands_off_site(location: str) -> bool:
    """Where a browser goes: it drops tabs and newlines anywhere and reads backslashes as slashes."""
    cleaned = re.sub(r"[\t\n\r]", "", location or "").strip().replace("\\", "/")
    target = urlsplit(urljoin("http://localhost/here/", cleaned))
    return target.scheme not in ("http", "https") or target.netloc != "localhost"


def test_the_browser_model_sees_the_attack():
    assert lands_off_site("/\t/evil.example") and lands_off_site("/\\evil.example")
    assert not lands_off_site("/courses/x/edit") and not lands_off_site("http://localhost/a")


@pytest.mark.parametrize("back", HOSTILE)
def test_image_upload_back_stays_on_the_site(client, create_user, login, back):
    create_user("tina@example.com", "Tina Trainer", roles=("trainer",))
    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    response = client.post("/authoring/digital-basics/images", data={"back": back})  # no image: redirected back
    assert response.status_code == 302
    assert response.headers["Location"] == "/authoring/digital-basics/"


def test_a_local_back_is_kept(client, create_user, login):
    create_user("tina@example.com", "Tina Trainer", roles=("trainer",))
    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    response = client.post("/authoring/digital-basics/images", data={"back": "/authoring/digital-basics/modules/m1/edit"})
    assert response.headers["Location"] == "/authoring/digital-basics/modules/m1/edit"


def test_no_route_redirects_off_site_whatever_next_or_back_says(app, client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin", "trainer", "coordinator", "company_manager"))
    make_course(trainers=["admin@example.com"])
    login("admin@example.com")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/static", "/bootstrap", "/api/")) or rule.endpoint == "auth.logout":
            continue
        url = re.sub(r"<(?:int:)?[a-z_]*slug>", "digital-basics", rule.rule)
        url = re.sub(r"<int:[^>]+>", "1", url)
        url = re.sub(r"<[^>]+>", "m1", url)
        for method in sorted(rule.methods & {"GET", "POST"}):
            for bad in HOSTILE[:4]:
                response = client.open(url, method=method, query_string={"next": bad, "back": bad},
                                       data={"next": bad, "back": bad} if method == "POST" else None)
                location = response.headers.get("Location")
                assert not (location and lands_off_site(location)), (method, url, bad, location)
                checked += 1
    assert checked > 100
