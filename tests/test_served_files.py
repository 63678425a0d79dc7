"""Files the app serves are images (their type sniffed from the bytes) or attachments, always with nosniff.

The first test is generated like the access matrix: every GET rule that names an object is requested by the
person of organisation A who may have it, and every answer that is not a page or JSON is checked. The others
push hostile files (HTML and script-carrying SVG disguised as images) through every way a file gets in: the
editor's image upload, the profile photo form, and a file dropped into a course's or the labs' media folder.
"""
import io

import pytest

from lms.courses.media import sniff_image
from lms.extensions import db
from tests.conftest import PASSWORD
from tests.test_access_matrix import (  # noqa: F401  (alpha: the fixture)
    PNG,
    ROUTES,
    alpha,
    owner_clients,
    rules_naming_objects,
)

PAGES = {"text/html", "application/json"}
OWN_FILES = {"static", "bootstrap.static"}  # the app's own CSS, scripts and icons, from the code, not from people
HTML_AS_PNG = b"<html><body><script>alert(document.cookie)</script></body></html>\n" * 4
SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                   b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>\n")


def served_safely(response) -> str | None:
    """What is unsafe about a file response, or None: nosniff, and an image whose bytes are that image (an
    SVG sandboxed) or an attachment."""
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        return "no X-Content-Type-Options: nosniff"
    disposition = response.headers.get("Content-Disposition", "")
    if disposition.startswith("attachment"):
        return None
    if not response.mimetype.startswith("image/"):
        return f"{response.mimetype} served inline"
    if sniff_image(response.get_data()[:4096]) != response.mimetype:
        return f"{response.mimetype} whose bytes are not that image"
    if response.mimetype == "image/svg+xml" and "sandbox" not in response.headers.get("Content-Security-Policy", ""):
        return "an SVG without the sandbox"
    return None


def test_every_file_a_route_serves_is_an_image_or_an_attachment(app, alpha):  # noqa: F811
    clients = owner_clients(app, alpha)
    files, unsafe = [], []
    for endpoint, rule in sorted(rules_naming_objects(app).items()):
        route = ROUTES[endpoint]
        if route.owner is None or "GET" not in rule.methods or endpoint in OWN_FILES:
            continue
        client, headers = clients[route.owner]
        response = client.get(route.url(alpha), headers=headers)
        if response.status_code != 200 or response.mimetype in PAGES:
            continue
        files.append(endpoint)
        problem = served_safely(response)
        if problem:
            unsafe.append(f"{endpoint}: {problem}")
    assert not unsafe, unsafe
    # The uploads and the exports are among them (a route that stopped serving would shrink this).
    assert {"courses.media", "profiles.photo", "labs.media", "courses.export", "progress.certificate",
            "assessment.export_csv", "progress.organisation_export", "labs.bookings_csv",
            "quiz_authoring.export_quiz"} <= set(files), files


@pytest.fixture
def trainer_client(app, alpha):  # noqa: F811
    client = app.test_client()
    client.post("/login", data={"email": alpha.trainer.email, "password": PASSWORD})
    return client


@pytest.mark.parametrize("data, name", [
    (HTML_AS_PNG, "holiday.png"), (SVG_WITH_SCRIPT, "drawing.png"), (SVG_WITH_SCRIPT, "drawing.svg"),
    (b"\x89PNG\r\n\x1a\n" + HTML_AS_PNG, "polyglot.png"),
])
def test_the_editor_refuses_a_disguised_upload_and_stores_nothing(app, alpha, trainer_client, data, name):  # noqa: F811
    from pathlib import Path

    folder = Path(app.config["UPLOAD_DIR"]) / "courses" / alpha.course.slug / "media"
    before = sorted(folder.iterdir())
    response = trainer_client.post(f"/authoring/{alpha.course.slug}/images", headers={"Accept": "application/json"},
                                   data={"image": (io.BytesIO(data), name)})
    assert response.status_code == 400 and response.json["error"]
    assert sorted(folder.iterdir()) == before


@pytest.mark.parametrize("data", [HTML_AS_PNG, SVG_WITH_SCRIPT, b"\x89PNG\r\n\x1a\n" + HTML_AS_PNG])
def test_the_profile_form_refuses_a_disguised_photo(app, alpha, trainer_client, data):  # noqa: F811
    photo = alpha.profile.photo
    response = trainer_client.post("/me/profile", content_type="multipart/form-data", data={
        "headline": "New", "visibility": "signed_in", "organisation_id": "0", "photo": (io.BytesIO(data), "me.png")})
    assert response.status_code == 422 and b"Nothing was saved" in response.data
    db.session.expire_all()
    assert alpha.profile.photo == photo  # the old photo stays; nothing new is served
    served = trainer_client.get(f"/people/{alpha.profile.slug}/photo")
    assert served.mimetype == "image/jpeg" and sniff_image(served.get_data()[:16]) == "image/jpeg"


def test_files_dropped_into_media_folders_are_never_served_as_pages(app_factory, tmp_path):
    """A file that arrived without the upload's checks (a course folder, the labs folder, a restored backup):
    HTML named .png is not served at all, .html is not served, and an SVG's script is sandboxed."""
    labs_dir = tmp_path / "labs"
    app = app_factory(LABS_DIR=str(labs_dir))
    media = {"course": tmp_path / "uploads" / "courses" / "some-course" / "media", "lab": labs_dir / "media"}
    for folder in media.values():
        folder.mkdir(parents=True)
        (folder / "fake.png").write_bytes(HTML_AS_PNG)
        (folder / "page.html").write_bytes(HTML_AS_PNG)
        (folder / "drawing.svg").write_bytes(SVG_WITH_SCRIPT)
        (folder / "real.png").write_bytes(PNG)
    with app.app_context():
        from lms.courses.models import Course

        db.session.add(Course(slug="some-course", title="Some course", summary="", description="", language="en",
                              audience=[], trainer_emails=[], prerequisites=[], is_published=True))
        db.session.commit()
    client = app.test_client()
    for base in ("/courses/some-course/files/media/", "/labs/files/media/"):
        assert client.get(base + "fake.png").status_code == 404, base
        assert client.get(base + "page.html").status_code == 404, base
        for name in ("drawing.svg", "real.png"):
            response = client.get(base + name)
            assert response.status_code == 200 and served_safely(response) is None, base + name
            assert response.mimetype != "text/html"
