"""Images uploaded in the course editor: checked by content, stored under the upload folder.

Stored as `<UPLOAD_DIR>/courses/<course-slug>/media/<safe-name>` and referenced in Markdown as
`media/<safe-name>`, the same relative path as an image that ships in the course folder.
"""
import io
import os
import re
import unicodedata
import warnings
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image

# Pillow format -> file extension. SVG is absent on purpose: it is a document that can carry scripts.
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # larger images are refused as possible decompression bombs


class UploadError(ValueError):
    """The file was refused; the message says why and is safe to show."""


def media_dir(upload_dir: str | os.PathLike, course_slug: str) -> Path:
    return Path(upload_dir) / "courses" / course_slug / "media"


def safe_stem(filename: str) -> str:
    """A file-name stem of lower-case ASCII letters, digits and hyphens (never empty, never a path)."""
    stem = Path((filename or "").replace("\\", "/")).name.rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-")[:60] or "image"


def _looks_like_svg(data: bytes, filename: str) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return filename.lower().endswith((".svg", ".svgz")) or head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) \
        or b"<svg" in head


def image_format(data: bytes, filename: str = "") -> str:
    """The file extension for `data` judged by its content (png, jpg, gif or webp).

    :raise UploadError: SVG, not an image, an unsupported format, or too many pixels.
    """
    if _looks_like_svg(data, filename):
        raise UploadError(_l(
            "SVG images cannot be uploaded here: an SVG file can contain scripts. Upload a PNG, JPEG, GIF or "
            "WebP image, or add the SVG drawing to the course folder (media/) where it is reviewed with the files."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadError(_l("The image is too large in pixels; scale it down and try again.")) from exc
    except Exception as exc:  # Pillow raises many kinds for damaged or unknown files
        raise UploadError(_l("This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP image.")) from exc
    if kind not in FORMATS:
        raise UploadError(_l("%(kind)s images are not accepted. Upload a PNG, JPEG, GIF or WebP image.", kind=kind))
    if width * height > MAX_PIXELS:
        raise UploadError(_l("The image is too large in pixels; scale it down and try again."))
    return FORMATS[kind]


def save_image(upload_dir, course_slug: str, filename: str, data: bytes, max_bytes: int) -> str:
    """Check and store an uploaded image; returns its Markdown path, `media/<safe-name>`.

    The extension follows the content, not the name given. An existing file with the same name and bytes is
    reused; a different one keeps its name and the new file gets a numbered one (`photo-2.png`).
    :raise UploadError: empty, over `max_bytes`, or not an accepted image.
    """
    if not data:
        raise UploadError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise UploadError(_l("The image is too large: at most %(mb).1f MB.", mb=max_bytes / (1024 * 1024)))
    extension = image_format(data, filename)
    folder = media_dir(upload_dir, course_slug)
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(filename)
    for n in range(1, 1000):
        name = f"{stem}.{extension}" if n == 1 else f"{stem}-{n}.{extension}"
        path = folder / name
        try:
            # O_EXCL: two uploads of the same name at once never overwrite each other.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if path.read_bytes() == data:
                return f"media/{name}"
            continue
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return f"media/{name}"
    raise UploadError(_l("Too many images with this name; rename the file and try again."))


def alt_text_from(filename: str) -> str:
    """A starting point for the alt text (the author should describe the picture)."""
    return safe_stem(filename).replace("-", " ").capitalize()
