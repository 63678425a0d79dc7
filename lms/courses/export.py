"""A course -> a zip in the folder format `lms content sync` reads (docs/content-format.md).

The zip holds one folder, `<slug>/`: course.md, one NN-slug.md per live module, the quizzes as .gift
files when the quiz feature offers them, and media/ from the course folder and the uploads (the uploads
win, as when serving). Unzipped into a courses folder and synced, it gives the same pages.
"""
import io
import zipfile
from pathlib import Path

from lms.courses.files import FINAL_GIFT, GIFT_FILE_RE, course_file_text, module_file_names, module_file_text
from lms.courses.media import MEDIA_FOLDER, find_media_file, image_type, safe_relative

# A fixed timestamp: exporting an unchanged course twice gives the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _media_files(base: Path) -> dict[str, Path]:
    """"media/..." -> file, for every image under base/media that is safe to serve."""
    found = {}
    root = base / MEDIA_FOLDER
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(base).as_posix()
        parts = safe_relative(relative)
        if parts is None or not path.is_file():
            continue
        real = find_media_file(base, parts)
        if real is not None and image_type(real) is not None:
            found[relative] = real
    return found


# Where a course's quiz files come from: callables (course) -> {file name: GIFT text}, named by module as in
# the course folder. The quiz feature registers its own from its init_app (courses does not import quizzes).
QUIZ_FILE_SOURCES: list = []


def register_quiz_files(source) -> None:
    if source not in QUIZ_FILE_SOURCES:  # several apps in one process (tests) register once
        QUIZ_FILE_SOURCES.append(source)


def _gift_files(course, stems: dict[str, str]) -> dict[str, str]:
    """The registered quiz files, renamed to the module files' numbering."""
    found = {}
    for source in QUIZ_FILE_SOURCES:
        found.update(source(course) or {})
    renamed = {}
    for name, text in found.items():
        match = GIFT_FILE_RE.match(name)
        if name == FINAL_GIFT:
            renamed[FINAL_GIFT] = text
        elif match and match.group(2) in stems:
            renamed[f"{stems[match.group(2)]}.gift"] = text
    return renamed


def course_files(course, *, courses_dir=None, upload_dir=None) -> dict[str, str | Path]:
    """Relative path inside the course folder -> text, or the Path of a media file to copy."""
    modules = [m for m in course.modules if m.is_published and m.archived_at is None]
    modules.sort(key=lambda m: (m.position, m.id or 0))
    stems = module_file_names(modules)
    entries: dict[str, str | Path] = {"course.md": course_file_text(course)}
    for module in modules:
        entries[f"{stems[module.slug]}.md"] = module_file_text(module)
    entries.update(_gift_files(course, stems))
    media = {}
    if courses_dir is not None:
        media.update(_media_files(Path(courses_dir) / course.slug))
    if upload_dir is not None:
        media.update(_media_files(Path(upload_dir) / "courses" / course.slug))
    entries.update(media)
    return entries


def export_course_zip(course, *, courses_dir=None, upload_dir=None) -> bytes:
    """The zip's bytes. The folders default to the app's COURSES_DIR and UPLOAD_DIR."""
    if courses_dir is None or upload_dir is None:
        from flask import current_app

        courses_dir = courses_dir if courses_dir is not None else current_app.config["COURSES_DIR"]
        upload_dir = upload_dir if upload_dir is not None else current_app.config["UPLOAD_DIR"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, value in sorted(course_files(course, courses_dir=courses_dir, upload_dir=upload_dir).items()):
            info = zipfile.ZipInfo(f"{course.slug}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = value.read_bytes() if isinstance(value, Path) else value.encode("utf-8")
            archive.writestr(info, data)
    return buffer.getvalue()


def export_filename(course) -> str:
    """A download name for the zip, e.g. "digitalization-101.zip"."""
    return f"{course.slug}.zip"
