"""Profile photos: real images made with Pillow; refusals store nothing, accepted photos lose their metadata."""
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from lms.extensions import db
from lms.profiles import photos, rules

LIMIT = 5 * 1024 * 1024


def png(size=(800, 600), mode="RGBA", color=(200, 30, 30, 128)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (1200, 900), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x0110] = "SecretCam 3000"  # Model
    exif[0x0131] = "SecretEditor"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (44.0, 29.0, 38.0), 3: "E", 4: (11.0, 20.0, 35.0)}  # GPS: Bologna
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def noisy_png(side: int) -> bytes:
    """A PNG that does not compress: its size in bytes grows with its pixels."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def bomb_png() -> bytes:
    """144 megapixels of one colour: a few kilobytes on disk, hundreds of megabytes once decoded."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000), 0).save(out, "PNG")
    return out.getvalue()


# The rule ---------------------------------------------------------------------------------------------

def test_a_png_is_resized_flattened_and_re_encoded_as_jpeg():
    result = photos.process(png(), LIMIT)
    main, thumb = Image.open(io.BytesIO(result.main)), Image.open(io.BytesIO(result.thumb))
    assert main.format == thumb.format == "JPEG"
    assert main.size == (512, 384) and (result.width, result.height) == (512, 384)
    assert thumb.size == (96, 96)
    assert main.mode == "RGB"


def test_exif_and_comments_are_stripped_and_the_rotation_applied():
    data = jpeg_with_exif()
    assert b"SecretCam" in data  # the fixture really carries the metadata
    result = photos.process(data, LIMIT)
    for blob in (result.main, result.thumb):
        image = Image.open(io.BytesIO(blob))
        assert len(image.getexif()) == 0
        assert "exif" not in image.info and "comment" not in image.info and "icc_profile" not in image.info
        assert b"SecretCam" not in blob and b"secret comment" not in blob and b"Exif" not in blob
    assert Image.open(io.BytesIO(result.main)).size == (384, 512)  # portrait after applying orientation 6


def test_the_first_frame_of_an_animated_gif_is_used():
    frames = [Image.new("P", (64, 64), i) for i in (10, 200)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(photos.process(out.getvalue(), LIMIT).main)).size == (64, 64)


@pytest.mark.parametrize("data, message", [
    (b"This is a plain text file, renamed to photo.png\n" * 20, "not a photo"),
    (b"", "empty"),
    (png()[:200], "not a photo"),  # truncated
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a photo"),  # a PNG signature and nothing real
])
def test_what_is_not_an_image_is_refused(data, message):
    with pytest.raises(photos.PhotoError, match=message):
        photos.process(data, LIMIT)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_refused(fmt):
    out = io.BytesIO()
    Image.new("RGB", (32, 32)).save(out, fmt)
    with pytest.raises(photos.PhotoError, match="JPEG, PNG, WebP or GIF"):
        photos.process(out.getvalue(), LIMIT)


def test_an_oversized_file_is_refused_with_the_limit_named():
    with pytest.raises(photos.PhotoError, match=r"too large \(0\.1 MB\): the limit is 0\.1 MB|limit is"):
        photos.process(noisy_png(300), 100_000)


@pytest.mark.parametrize("make", [bomb_png, lambda: png((13_000, 10), "L", 0)])
def test_huge_dimensions_are_refused_before_decoding(make):
    with pytest.raises(photos.PhotoError, match="too large in pixels"):
        photos.process(make(), LIMIT)


def test_stored_names_are_random_and_path_tricks_are_refused(tmp_path):
    result = photos.process(png(), LIMIT)
    a, b = photos.store(result, str(tmp_path)), photos.store(result, str(tmp_path))
    assert a != b and len(a) == 32
    assert sorted(p.name for p in (tmp_path / "profiles").iterdir()) == sorted(
        [f"{a}.jpg", f"{a}-thumb.jpg", f"{b}.jpg", f"{b}-thumb.jpg"])
    assert photos.path_of(str(tmp_path), "../../etc/passwd") is None
    photos.delete(str(tmp_path), a)
    assert not photos.path_of(str(tmp_path), a).exists() and photos.path_of(str(tmp_path), b).exists()


# Through the edit form ----------------------------------------------------------------------------------

@pytest.fixture
def trainer(app, create_user, login):
    user = create_user("trainer@example.com", "Tina Trainer", roles=["trainer"])
    login("trainer@example.com")
    return user


def upload(client, data: bytes, filename: str, **fields):
    form = {"headline": "New headline", "visibility": "public", "organisation_id": "0"}
    form.update(fields)
    form["photo"] = (io.BytesIO(data), filename)
    return client.post("/me/profile", data=form, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "profiles"
    return sorted(folder.iterdir()) if folder.exists() else []


def profile_row(user):
    db.session.expire_all()
    return rules.profile_of(user)


@pytest.mark.parametrize("data, filename, message", [
    (b"not an image at all, just text\n" * 10, "photo.png", b"not a photo"),
    (bomb_png(), "huge.png", b"too large in pixels"),
])
def test_a_refused_upload_stores_nothing(app, client, trainer, data, filename, message):
    client.get("/me/profile")  # the editor page, as a person opens it before uploading
    response = upload(client, data, filename)
    assert response.status_code == 422
    assert message in response.data
    assert b"Nothing was saved" in response.data
    assert b'value="New headline"' in response.data  # what the person typed is kept
    assert stored_files(app) == []
    profile = profile_row(trainer)
    assert profile.headline == "" and profile.photo is None and profile.visibility == "signed_in"


def test_an_upload_over_the_configured_limit_stores_nothing(app_factory, create_user):
    small = app_factory(UPLOAD_MAX_BYTES=100_000)
    with small.app_context():
        from lms.auth import accounts

        user = accounts.create_user("t@example.com", "Tina Trainer", roles=["trainer"],
                                    password="correct-horse-battery")
        db.session.commit()
        client = small.test_client()
        client.post("/login", data={"email": "t@example.com", "password": "correct-horse-battery"})
        client.get("/me/profile")
        response = upload(client, noisy_png(300), "big.png")
        assert response.status_code == 422
        assert b"too large" in response.data and b"0.1 MB" in response.data
        assert stored_files(small) == []
        assert profile_row(user).headline == ""


def test_an_accepted_photo_is_served_with_nosniff_and_replaced_cleanly(app, client, trainer):
    response = upload(client, jpeg_with_exif(), "me.jpg")
    assert response.status_code == 302
    first = profile_row(trainer).photo
    assert [p.name for p in stored_files(app)] == [f"{first}-thumb.jpg", f"{first}.jpg"]
    slug = profile_row(trainer).slug
    served = client.get(f"/people/{slug}/photo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"SecretCam" not in served.data
    assert Image.open(io.BytesIO(client.get(f"/people/{slug}/photo?size=thumb").data)).size == (96, 96)

    assert upload(client, png(), "new.png").status_code == 302
    second = profile_row(trainer).photo
    assert second != first
    assert [p.name for p in stored_files(app)] == sorted([f"{second}-thumb.jpg", f"{second}.jpg"])

    assert upload(client, b"", "", remove_photo="y").status_code == 302
    assert profile_row(trainer).photo is None and stored_files(app) == []
    assert client.get(f"/people/{slug}/photo").status_code == 404


def test_a_members_only_photo_is_not_served_to_visitors(app, client, trainer):
    upload(client, png(), "me.png", visibility="signed_in")
    slug = profile_row(trainer).slug
    assert client.get(f"/people/{slug}/photo").status_code == 200
    client.post("/logout")
    assert client.get(f"/people/{slug}/photo").status_code == 404
