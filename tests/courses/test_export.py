"""Export a course as a zip in the folder format; syncing it into a fresh instance gives the same pages."""
import io
import zipfile

from sqlalchemy import select

from lms.content import loading
from lms.courses import export
from lms.courses.export import course_files, export_course_zip
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.render import render

from .content_factory import PNG, SHIPPED_COURSES, SVG, make_course, module_md, write


def _state(course) -> tuple:
    """What a learner's pages are made of, rendered as they are served."""
    base = f"/courses/{course.slug}/files/"
    modules = tuple(
        (m.slug, m.position, m.title, m.minutes, m.summary, m.audience, m.quiz_settings,
         str(render(m.body, base_url=base)))
        for m in course.live_modules)
    return (course.slug, course.title, course.summary, str(render(course.description, base_url=base)),
            course.language, course.audience, course.trainer_emails, course.prerequisites,
            course.final_quiz_settings, modules)


def _unzip(data: bytes, target):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert not name.startswith("/") and ".." not in name.split("/")
        archive.extractall(target)


def test_round_trip_of_every_shipped_course(app, app_factory, tmp_path):
    assert not loading.sync_content(courses=SHIPPED_COURSES).errors
    db.session.commit()
    exported = tmp_path / "exported"
    originals = {}
    for course in db.session.scalars(select(Course)):
        data = export_course_zip(course, courses_dir=SHIPPED_COURSES, upload_dir=tmp_path / "uploads")
        assert data == export_course_zip(course, courses_dir=SHIPPED_COURSES, upload_dir=tmp_path / "uploads")
        _unzip(data, exported)
        originals[course.slug] = _state(course)
        for image in (SHIPPED_COURSES / course.slug / "media").iterdir():
            assert (exported / course.slug / "media" / image.name).read_bytes() == image.read_bytes()
        # The quiz feature's files come through the hook it registers (courses does not import quizzes).
        shipped_gift = sorted(p.name for p in (SHIPPED_COURSES / course.slug).glob("*.gift"))
        assert shipped_gift and sorted(p.name for p in (exported / course.slug).glob("*.gift")) == shipped_gift

    fresh = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    with fresh.app_context():
        report = loading.sync_content(courses=exported)
        assert report.errors == []
        db.session.commit()
        copies = {c.slug: _state(c) for c in db.session.scalars(select(Course))}
    assert copies == originals and len(copies) >= 3


def test_browser_changes_are_exported_and_numbered(app, tmp_path):
    make_course(tmp_path / "courses")
    assert not loading.sync_content(courses=tmp_path / "courses").errors
    course = db.session.scalar(select(Course))
    intro, sensors = course.modules
    intro.body = "Edited in the browser, with an ![upload](media/photo.png)."
    course.modules.append(Module(slug="draft", title="Draft", position=3, is_published=False))
    course.modules.append(Module(slug="new", title="New", minutes=5, position=2, body="Made online."))
    sensors.archived_at = intro.created_at
    db.session.commit()
    write(tmp_path / "uploads" / "courses" / "test-course" / "media" / "photo.png", PNG)

    names = sorted(course_files(course, courses_dir=tmp_path / "courses", upload_dir=tmp_path / "uploads"))
    # Two modules at position 2 (new and the archived sensors do not clash: archived is not exported).
    assert names == ["01-intro.md", "02-new.md", "course.md", "media/photo.png"]

    _unzip(export_course_zip(course, courses_dir=tmp_path / "courses", upload_dir=tmp_path / "uploads"),
           tmp_path / "out")
    assert (tmp_path / "out" / "test-course" / "02-new.md").read_text() == (
        "---\ntitle: New\nminutes: 5\n---\nMade online.\n")
    content = loading.check_content(courses=tmp_path / "out")
    assert content.errors == []
    assert [(m.slug, m.position, m.body) for m in content["courses"][0].modules] == [
        ("intro", 1, intro.body), ("new", 2, "Made online.")]


def test_clashing_positions_are_renumbered_in_order(app, tmp_path):
    make_course(tmp_path / "courses", modules={})
    assert not loading.sync_content(courses=tmp_path / "courses").errors
    course = db.session.scalar(select(Course))
    for slug, position in (("b", 0), ("a", 0), ("c", 7)):
        course.modules.append(Module(slug=slug, title=slug.upper(), minutes=5, position=position))
    db.session.commit()
    names = [n for n in course_files(course) if n.endswith(".md") and n != "course.md"]
    assert names == ["01-b.md", "02-a.md", "03-c.md"]


def test_upload_media_wins_and_nothing_outside_media_is_exported(app, tmp_path):
    courses, uploads = tmp_path / "courses", tmp_path / "uploads"
    folder = make_course(courses, modules={"01-a.md": module_md(body="![chart](media/chart.svg)")})
    write(folder / "media" / "chart.svg", SVG)
    write(folder / "media" / "notes.txt", "not an image")
    write(folder / "media" / "fake.png", "<html>not a png</html>")
    write(tmp_path / "secret.png", PNG)
    (folder / "media" / "link.png").symlink_to(tmp_path / "secret.png")
    write(uploads / "courses" / "test-course" / "media" / "chart.svg", SVG.replace(b"10", b"20"))
    assert not loading.sync_content(courses=courses).errors
    course = db.session.scalar(select(Course))
    files = course_files(course, courses_dir=courses, upload_dir=uploads)
    assert sorted(n for n in files if n.startswith("media/")) == ["media/chart.svg"]
    assert files["media/chart.svg"].read_bytes() == SVG.replace(b"10", b"20")


def test_quiz_files_follow_the_module_numbering(app, tmp_path, monkeypatch):
    """The quiz feature names its files by module; the export renames them to the exported numbering."""
    make_course(tmp_path / "courses")
    assert not loading.sync_content(courses=tmp_path / "courses").errors
    course = db.session.scalar(select(Course))
    course.modules[1].position = 7
    quiz_files = {"02-sensors.gift": "::Q:: ok? {T}", "final.gift": "::F:: ok? {T}", "09-gone.gift": "x",
                  "../evil.gift": "x"}
    monkeypatch.setattr(export, "QUIZ_FILE_SOURCES", [lambda c: quiz_files])
    files = course_files(course)
    assert {n for n in files if n.endswith(".gift")} == {"07-sensors.gift", "final.gift"}
