"""Profile photos: checked by content, re-encoded without metadata, stored under a random name.

process() is pure (bytes in, bytes out) so a refused upload leaves no trace; store() writes files only after
every check passed. What is served is always our own re-encoded JPEG, never the uploaded bytes.
"""
import io
import os
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # a 40-megapixel camera photo is fine; a 100 000 x 100 000 "bomb" is not
MAX_SIDE = 12_000
SIZE = (512, 512)
THUMB = 96
QUALITY = 85
_STEM = re.compile(r"^[a-f0-9]{32}$")


class PhotoError(ValueError):
    """The upload was refused; the message is safe to show."""


@dataclass(frozen=True)
class ProcessedPhoto:
    main: bytes  # JPEG, at most 512 x 512, no metadata
    thumb: bytes  # JPEG, 96 x 96, cropped to a square
    width: int
    height: int


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def process(data: bytes, max_bytes: int) -> ProcessedPhoto:
    """Check `data` is a PNG, JPEG, WebP or GIF image within the limits and re-encode it; PhotoError otherwise."""
    if not data:
        raise PhotoError(str(_l("The file is empty. Choose a photo (JPEG, PNG, WebP or GIF).")))
    if len(data) > max_bytes:
        raise PhotoError(str(_l("The photo is too large (%(size)s MB): the limit is %(limit)s MB.",
                                size=megabytes(len(data)), limit=megabytes(max_bytes))))
    not_image = str(_l("This file is not a photo Officina 4.0 can use. Upload a JPEG, PNG, WebP or GIF image."))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat the warning as a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only our four formats' decoders are even tried: no EPS (Ghostscript), no exotic parsers.
            with Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise PhotoError(not_image)
                _check_dimensions(width, height)
                probe.verify()  # structure and checksums; the image must be opened again to use it
            with Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS)) as image:
                image.seek(0)  # first frame of an animated GIF or WebP
                image.load()
                return _encode(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_too_many_pixels()) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoError(not_image) from exc


def _too_many_pixels() -> str:
    return str(_l("The image is too large in pixels: at most %(mp)d megapixels and %(side)d pixels a side.",
                  mp=MAX_PIXELS // 1_000_000, side=MAX_SIDE))


def _check_dimensions(width: int, height: int):
    if width < 1 or height < 1:
        raise PhotoError(str(_l("The image has no pixels.")))
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise PhotoError(_too_many_pixels())


def _encode(image: Image.Image) -> ProcessedPhoto:
    image = ImageOps.exif_transpose(image)  # apply the camera's rotation before the metadata goes
    # Paste the pixels into a fresh image: convert() and copy() would carry image.info (EXIF, comments, XMP,
    # ICC) along, and save() writes some of it back. Transparency is flattened onto white.
    clean = Image.new("RGB", image.size, (255, 255, 255))
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean.paste(image.convert("RGB"))
    image = clean
    main = image.copy()
    main.thumbnail(SIZE, Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(image, (THUMB, THUMB), Image.Resampling.LANCZOS)
    return ProcessedPhoto(_jpeg(main), _jpeg(thumb), main.width, main.height)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # `image` was made fresh by _encode(): no EXIF, XMP, ICC or comment to write, and none is passed here.
    image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def folder(upload_dir: str) -> Path:
    return Path(upload_dir) / "profiles"


def path_of(upload_dir: str, stem: str, thumb: bool = False) -> Path | None:
    """The file of a stored photo, or None for a name that store() cannot have made (no path tricks)."""
    if not stem or not _STEM.match(stem):
        return None
    return folder(upload_dir) / (f"{stem}-thumb.jpg" if thumb else f"{stem}.jpg")


def store(photo: ProcessedPhoto, upload_dir: str) -> str:
    """Write both files under a new random name and return that name (the stem kept in Profile.photo)."""
    target = folder(upload_dir)
    target.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_hex(16)
    for path, data in ((path_of(upload_dir, stem), photo.main), (path_of(upload_dir, stem, True), photo.thumb)):
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # readers never see half a file
    return stem


def delete(upload_dir: str, stem: str | None):
    """Remove a stored photo's files; a missing file is not an error."""
    for thumb in (False, True):
        path = path_of(upload_dir, stem, thumb) if stem else None
        if path is not None:
            path.unlink(missing_ok=True)
