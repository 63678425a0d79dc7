"""Course images: finding a requested file safely, and the headers it is served with.

A course's images live under `media/` in the uploads (`<UPLOAD_DIR>/courses/<slug>/media/`, written by
browser authoring) or in its folder (`<COURSES_DIR>/<slug>/media/`); the uploads win. Only image files
are served, and only when both the extension and the first bytes say so: a course folder is written by
people, and a file named .png that is really HTML must never reach a browser as a page.
"""
import re
from pathlib import Path, PurePosixPath

from werkzeug.exceptions import NotFound

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
# An SVG can carry script: served as a sandboxed document that runs nothing and loads nothing.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
}
MEDIA_FOLDER = "media"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SVG_START = re.compile(rb"^(\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<svg[\s>]", re.S | re.I)
SNIFF_BYTES = 4096


def sniff_image(head: bytes) -> str | None:
    """The image type the first bytes of a file show, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if _SVG_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "image/svg+xml"
    return None


def image_type(path: Path) -> str | None:
    """The mimetype of an image file whose extension and content agree, else None."""
    expected = IMAGE_TYPES.get(path.suffix.lower())
    if expected is None:
        return None
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None
    return expected if sniff_image(head) == expected else None


def safe_relative(path: str) -> PurePosixPath | None:
    """`path` as clean parts under media/, or None for anything that could leave it."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    if parts[0] != MEDIA_FOLDER or len(parts) < 2:
        return None
    return PurePosixPath(*parts)


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def find_media_file(base: Path, relative: PurePosixPath) -> Path | None:
    """`base/relative` if it is a regular file whose real path stays inside `base/media` (no symlink out)."""
    try:
        root = base.resolve()
        media_root = (base / MEDIA_FOLDER).resolve(strict=True)
        candidate = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not _inside(media_root, root) or not _inside(candidate, media_root) or not candidate.is_file():
        return None
    return candidate


def resolve_media(course_slug: str, path: str, *, upload_dir=None, courses_dir=None) -> tuple[Path, str]:
    """(file, mimetype) of a course image; NotFound for anything else (traversal, non-images, missing).

    `path` is what follows /courses/<slug>/files/, e.g. "media/value-chain.svg". The folders default to the
    app's UPLOAD_DIR/courses and COURSES_DIR.
    """
    if upload_dir is None or courses_dir is None:
        from flask import current_app

        upload_dir = upload_dir if upload_dir is not None else current_app.config["UPLOAD_DIR"]
        courses_dir = courses_dir if courses_dir is not None else current_app.config["COURSES_DIR"]
    if not _SLUG.match(course_slug or ""):
        raise NotFound()
    return resolve_in((Path(upload_dir) / "courses" / course_slug, Path(courses_dir) / course_slug), path)


def resolve_in(bases, path: str) -> tuple[Path, str]:
    """(file, mimetype) of the image `path` ("media/...") under the first of `bases` that has it; NotFound
    for anything else. The labs folder's images are served through this too."""
    relative = safe_relative(path)
    if relative is None or relative.suffix.lower() not in IMAGE_TYPES:
        raise NotFound()
    for base in bases:
        found = find_media_file(Path(base), relative)
        if found is not None:
            mimetype = image_type(found)
            if mimetype is None:
                raise NotFound()
            return found, mimetype
    raise NotFound()


def media_headers(mimetype: str) -> dict:
    """Extra response headers for a served image (the sandbox for SVG)."""
    return dict(SVG_HEADERS) if mimetype == "image/svg+xml" else {"X-Content-Type-Options": "nosniff"}


def media_response(course_slug: str, path: str, max_age: int = 3600):
    """The response for GET /courses/<slug>/files/<path>: the image with its headers, or NotFound."""
    return image_response(*resolve_media(course_slug, path), max_age=max_age)


def image_response(found: Path, mimetype: str, max_age: int = 3600):
    """A found image sent with its headers (the sandbox for SVG)."""
    from flask import send_file

    response = send_file(found, mimetype=mimetype, conditional=True, max_age=max_age)
    for name, value in media_headers(mimetype).items():
        response.headers[name] = value
    return response
