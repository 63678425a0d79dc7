"""Relative image links in a module's Markdown: find them (inline, reference-style and raw <img>, outside
code) and check that each names an image in the course's media folder, as the media route serves it."""
import os
import re
from pathlib import Path
from urllib.parse import unquote

from lms.content.frontmatter import ContentError
from lms.courses.media import IMAGE_TYPES, MEDIA_FOLDER

_INLINE_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^\s)]+)")
_REF_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\](?:\[([^\]]*)\])?")
_REF_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def image_links(body: str) -> list[tuple[int, str]]:
    """(line index in body, URL) of every image: Markdown inline and reference images, HTML <img>.
    Code blocks and code spans are skipped: an example of the syntax is not an image."""
    found, references, definitions = [], [], {}
    fence = None
    for index, line in enumerate(body.split("\n")):
        marker = _FENCE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            continue
        line = _CODE_SPAN.sub("", line)
        definition = _REF_DEFINITION.match(line)
        if definition:
            definitions[definition.group(1).strip().lower()] = (index, definition.group(2).strip("<>"))
            continue
        for match in _INLINE_IMAGE.finditer(line):
            found.append((index, match.group(1).strip("<>")))
        for match in _REF_IMAGE.finditer(line):
            if line[match.end():match.end() + 1] != "(":
                references.append((match.group(2) or match.group(1)).strip().lower())
        for match in _HTML_IMAGE.finditer(line):
            found.append((index, next(g for g in match.groups() if g is not None)))
    found.extend(definitions[ref] for ref in references if ref in definitions)
    return sorted(set(found))


def check_images(path: Path, course_dir: Path, body: str, body_line: int) -> list[ContentError]:
    """Every relative image must be an existing image file under `course_dir`/media/: a course's folder, or the
    labs folder for a lab's image. Messages name that folder, so they are right for both."""
    errors = []
    folder = f"{course_dir.name}/"
    for index, url in image_links(body):
        if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
            continue  # absolute URLs are the sanitiser's business, not the folder's
        relative = unquote(url.split("#", 1)[0].split("?", 1)[0]).removeprefix("./")
        line = body_line + index
        normal = os.path.normpath(relative)
        if os.path.isabs(normal) or normal == ".." or normal.startswith(".." + os.sep) or "\\" in relative:
            errors.append(ContentError(str(path), line, f"image '{url}' points outside {folder}"))
            continue
        if not normal.startswith(MEDIA_FOLDER + os.sep):
            errors.append(ContentError(str(path), line, f"image '{url}' must be in {folder}{MEDIA_FOLDER}/"))
            continue
        if Path(normal).suffix.lower() not in IMAGE_TYPES:
            allowed = ", ".join(sorted(IMAGE_TYPES))
            errors.append(ContentError(str(path), line, f"image '{url}' is not an image file ({allowed})"))
            continue
        target = course_dir / normal
        try:
            inside = course_dir.resolve() in target.resolve().parents
        except (OSError, RuntimeError):
            inside = False
        if not target.is_file():
            errors.append(ContentError(str(path), line, f"image '{url}' not found: no file {target}"))
        elif not inside:
            errors.append(ContentError(str(path), line, f"image '{url}' points outside {folder}"))
    return errors


# Courses ---------------------------------------------------------------------------------------------
