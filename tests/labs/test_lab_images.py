"""A lab's photo or diagram: served from the labs folder's media/ as course images are, and shown with alt
text on the labs index and the lab page in both languages."""
import pytest

from lms.courses.media import SVG_HEADERS
from lms.extensions import db
from tests.courses.content_factory import PNG, SVG, write


@pytest.fixture
def labs_app(app_factory, tmp_path):
    labs = tmp_path / "labs"
    write(labs / "media" / "cell.svg", SVG)
    write(labs / "media" / "bench.png", PNG)
    write(labs / "media" / "fake.svg", b"<html><script>alert(1)</script></html>")
    write(labs / "secret.svg", SVG)  # in the labs folder but not under media/
    write(labs / "cobot-cell.md", "---\nname: x\n---\n")
    app = app_factory(LABS_DIR=str(labs))
    with app.app_context():
        yield app


def test_the_media_route_serves_images_with_a_sandbox(labs_app):
    client = labs_app.test_client()
    svg = client.get("/labs/files/media/cell.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and svg.data == SVG
    for name, value in SVG_HEADERS.items():
        assert svg.headers[name] == value
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    png = client.get("/labs/files/media/bench.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "media/../secret.svg", "media/%2e%2e/secret.svg", "secret.svg", "cobot-cell.md", "media/../cobot-cell.md",
    "media/fake.svg", "media/gone.svg", "media/", "media/.hidden.svg", "media/a%00.svg", "media\\..\\secret.svg",
])
def test_the_media_route_refuses_anything_else(labs_app, path):
    response = labs_app.test_client().get(f"/labs/files/{path}")
    assert response.status_code in (400, 404), path
    assert response.data != SVG


def test_index_and_lab_page_show_the_diagram_with_alt_text(client, make_lab):
    lab = make_lab(slug="cobot-cell", name="Cobot cell", image="media/cobot-cell.svg",
                   translations={"it": {"name": "Cella cobot"}})
    make_lab(slug="no-picture", name="Bare lab")
    db.session.commit()
    img = '<img class="card-img-top img-fluid lab-image" src="/labs/files/media/cobot-cell.svg" alt="{}"'
    index = client.get("/labs/").get_data(as_text=True)
    assert img.format("Cobot cell diagram") in index
    assert index.count("lab-image") == 1  # the lab without an image has none
    page = client.get(f"/labs/{lab.slug}").get_data(as_text=True)
    assert 'src="/labs/files/media/cobot-cell.svg" alt="Cobot cell diagram"' in page
    # The shipped diagram itself is served (LABS_DIR is the project's labs folder here).
    assert client.get("/labs/files/media/cobot-cell.svg").mimetype == "image/svg+xml"

    italian = client.get("/labs/", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert img.format("Schema: Cella cobot") in italian
    italian_page = client.get(f"/labs/{lab.slug}", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert 'alt="Schema: Cella cobot"' in italian_page
