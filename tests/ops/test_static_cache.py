"""Static files served by the app itself (gunicorn without nginx): a URL with the file's own hash is cached
for a year as immutable; an old or made-up hash, or none, is not."""
import re

from lms.ops.static import IMMUTABLE


def _stylesheet_url(client):
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)


def test_fingerprinted_static_file_is_immutable_for_a_year(client):
    response = client.get(_stylesheet_url(client))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Expires" not in response.headers


def test_blueprint_static_file_with_its_hash_is_immutable(client):
    html = client.get("/login").get_data(as_text=True)
    url = re.search(r'"(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', html).group(1)
    assert client.get(url).headers["Cache-Control"] == IMMUTABLE


def test_wrong_or_missing_hash_is_not_kept_for_a_year(client):
    url = _stylesheet_url(client)
    stale = client.get(url.split("?v=")[0] + "?v=000000000000")
    assert stale.status_code == 200
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    plain = client.get(url.split("?v=")[0])
    assert plain.status_code == 200
    assert "immutable" not in plain.headers.get("Cache-Control", "")


def test_missing_static_file_is_a_404_without_long_caching(client):
    response = client.get("/static/css/nothing-here.css?v=000000000000")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")
