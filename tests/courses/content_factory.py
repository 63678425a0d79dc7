"""Hand-made course folders and lab files for the loader's tests."""
from pathlib import Path

from lms.courses.models import Course, Module, ModuleCompletion, ModuleRevision
from lms.extensions import db
from lms.labs.models import Lab

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED_COURSES = PROJECT / "courses"
SHIPPED_LABS = PROJECT / "labs"
SHARED = PROJECT.parent / "shared"

# A 1x1 PNG and a small SVG: real image bytes for media tests.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'

COURSE_MD = """---
title: Test course
summary: A course for tests.
language: en
audience: [manager, technician]
trainers: [trainer@example.com]
---
The course description.
"""

LAB_MD = """---
name: Test lab
venue: A test venue
address: Via Roma 1, 40100 Bologna BO
seats: 6
equipment: [a cobot, a laptop]
coordinator: coordinator@example.com
---
What a visitor sees.
"""


def module_md(title="Introduction", minutes=10, body="Some text.", extra="") -> str:
    return f"---\ntitle: {title}\nminutes: {minutes}\n{extra}---\n{body}\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def make_course(root: Path, slug="test-course", modules=None, course_md=COURSE_MD) -> Path:
    """A valid course folder: course.md and the given {file name: text} modules (default: two)."""
    folder = root / slug
    write(folder / "course.md", course_md)
    if modules is None:
        modules = {"01-intro.md": module_md("Introduction", 10, "Welcome to the **course**."),
                   "02-sensors.md": module_md("Sensors", 20, "Vibration and temperature sensors.")}
    for name, text in modules.items():
        write(folder / name, text)
    return folder


def make_labs(root: Path, names=("test-lab",)) -> Path:
    for name in names:
        write(root / f"{name}.md", LAB_MD.replace("Test lab", f"Lab {name}"))
    return root


def snapshot() -> dict:
    """Everything the loader writes, as plain values: 'the database is unchanged' is snapshot() == before."""
    def rows(model, *columns):
        return sorted(tuple(getattr(r, c) for c in columns) for r in db.session.scalars(db.select(model)))

    db.session.expire_all()
    return {
        "courses": rows(Course, "slug", "title", "description", "file_hash", "updated_at"),
        "modules": rows(Module, "id", "slug", "position", "title", "body", "archived_at", "file_hash", "updated_at"),
        "revisions": rows(ModuleRevision, "module_id", "number", "source"),
        "completions": rows(ModuleCompletion, "user_id", "module_id"),
        "labs": rows(Lab, "slug", "name", "archived_at", "file_hash"),
    }
