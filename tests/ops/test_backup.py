"""lms backup / lms restore: an instance with content, users, bookings and an uploaded image is backed up,
restored into a fresh instance (fresh database, empty upload folder), and shows the same pages and API answers.
On SQLite (the online backup API), on PostgreSQL (pg_dump), and portable from SQLite into PostgreSQL."""
import io
import re
import shutil
import tarfile
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import select

from lms.auth import accounts
from lms.auth.models import User
from lms.courses import enrolment, uploads
from lms.courses.models import Module
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs import booking
from lms.labs.models import Lab, LabSession
from tests.conftest import PASSWORD

COURSE = """---
title: Backups for machine data
summary: Keep production data safe.
language: en
audience: [technician]
trainers: [trainer@example.com]
---
Why copies matter.
"""
MODULE = """---
title: The first copy
minutes: 10
---
Keep **three** copies.
"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 128)).save(out, "PNG")
    return out.getvalue()


def _make_instance(app_factory, tmp_path, name, url):
    folder = tmp_path / name
    folder.mkdir()
    app = app_factory(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder / "uploads"),
                      OUTBOX_DIR=str(folder / "outbox"), COURSES_DIR=str(tmp_path / "courses"),
                      LABS_DIR=str(tmp_path / "labs"), SECRET_KEY="same-secret-on-both")
    return app


def _clean_database(app):
    with app.app_context():
        db.drop_all()
        from sqlalchemy import inspect, text
        with db.engine.begin() as connection:
            for name in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE' if db.engine.dialect.name ==
                                        "postgresql" else f'DROP TABLE IF EXISTS "{name}"'))
        db.engine.dispose()


def _fill(app, tmp_path):
    """Content (a course with an uploaded image), people, a lab session with bookings and a waitlist."""
    course_dir = tmp_path / "courses" / "backups-101"
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / "course.md").write_text(COURSE)
    (course_dir / "01-first-copy.md").write_text(MODULE)
    (tmp_path / "labs").mkdir(exist_ok=True)
    with app.app_context():
        upgrade()
        accounts.create_user("trainer@example.com", "Tina Trainer", roles=["trainer"], password=PASSWORD)
        coordinator = accounts.create_user("coord@example.com", "Carlo Coord", roles=["coordinator"], password=PASSWORD)
        learners = [accounts.create_user(f"l{n}@example.com", f"Learner {n}", password=PASSWORD) for n in range(3)]
        db.session.commit()
        uploads.save_image(app.config["UPLOAD_DIR"], "backups-101", "flow.png", _png(), 1_000_000)
        result = app.test_cli_runner().invoke(args=["content", "sync"])
        assert result.exit_code == 0, result.output
        by_email = {u.email: u for u in db.session.scalars(select(User))}  # the command ended the session
        learners, coordinator = [by_email[f"l{n}@example.com"] for n in range(3)], by_email["coord@example.com"]
        # A trainer adds the uploaded diagram in the browser editor.
        module = db.session.scalar(select(Module).where(Module.slug == "first-copy"))
        module.body += "\n## A diagram\n\n![The backup flow](media/flow.png)\n"
        module.edited_in_browser_at = utcnow()
        enrolment.enrol(learners[2], module.course, now=utcnow())
        lab = Lab(slug="backup-lab", name="Backup lab", venue="Hall", address="Via Roma 1, Bologna",
                  coordinator_email="coord@example.com")
        start = utcnow() + timedelta(days=5)
        session = LabSession(lab=lab, title="Restore drill", starts_at=start, ends_at=start + timedelta(hours=2),
                             capacity=2)
        db.session.add_all([lab, session])
        db.session.flush()
        for learner in learners:  # two seats, one on the waitlist
            booking.book_seat(session, learner, by=learner, now=utcnow())
        _row, token = accounts.create_api_token(coordinator, "backup test")
        db.session.commit()
        return {"session": session.id, "token": token}


def _normalise(html: str) -> str:
    # Per-session values: the CSRF token.
    return re.sub(r'(name="csrf_token"[^>]*value=|name="csrf-token" content=)"[^"]*"', r'\1""', html)


def _pages(app, setup):
    """What people see: pages as a visitor, a learner and the coordinator, the image, and API answers."""
    seen = {}
    with app.app_context():
        visitor = app.test_client()
        for path in ("/courses/", "/courses/backups-101", "/labs/", f"/labs/sessions/{setup['session']}"):
            response = visitor.get(path)
            seen[path] = (response.status_code, _normalise(response.get_data(as_text=True)))
        for email, paths in (("l2@example.com", ("/courses/backups-101/first-copy", "/labs/my-bookings",
                                                 "/progress/me")),
                             ("coord@example.com", (f"/labs/sessions/{setup['session']}",))):
            client = app.test_client()
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
            for path in paths:
                response = client.get(path)
                seen[f"{email} {path}"] = (response.status_code, _normalise(response.get_data(as_text=True)))
            if email == "l2@example.com":
                image = re.search(r'src="([^"]*flow[^"]*\.png)"', seen[f"{email} /courses/backups-101/first-copy"][1])
                assert image, "the module shows no image"
                response = client.get(image.group(1))
                seen["image"] = (response.status_code, response.data)
        api = app.test_client()
        headers = {"Authorization": f"Bearer {setup['token']}"}
        for path in ("/api/v1/courses/backups-101", f"/api/v1/lab-sessions/{setup['session']}", "/api/v1/me",
                     "/api/v1/labs"):
            response = api.get(path, headers=headers)
            seen[path] = (response.status_code, response.get_json())
    return seen


def _restore_and_compare(app_factory, tmp_path, source_url, target_url, method):
    source = _make_instance(app_factory, tmp_path, "source", source_url)
    _clean_database(source)
    setup = _fill(source, tmp_path)
    before = _pages(source, setup)
    assert before["image"][0] == 200 and before["image"][1][:8] == b"\x89PNG\r\n\x1a\n"
    assert "Learner 2" in before[f"coord@example.com /labs/sessions/{setup['session']}"][1]
    assert before["/api/v1/me"][1]["email"] == "coord@example.com"

    archive = tmp_path / "backup.tar.gz"
    with source.app_context():
        result = source.test_cli_runner().invoke(args=["backup", "--out", str(archive), "--format", method])
        assert result.exit_code == 0, result.output
    assert (archive.stat().st_mode & 0o777) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "uploads/courses/backups-101/media/flow.png" in names

    target = _make_instance(app_factory, tmp_path, "target", target_url)
    _clean_database(target)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "Restored" in result.output
        # A second restore over the restored instance is refused without --force.
        again = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert again.exit_code == 1 and "already has data" in again.output
        assert target.test_client().get("/readyz").status_code == 200
    shutil.rmtree(tmp_path / "source")  # nothing of the source instance is left to serve by mistake
    after = _pages(target, setup)
    for key in before:
        assert after[key] == before[key], key
    # The restored database goes on: new rows get new ids (PostgreSQL sequences follow the restored rows).
    with target.app_context():
        person = accounts.create_user("new@example.com", "New Person")
        db.session.commit()
        assert person.id > 5
    return before


@pytest.mark.parametrize("method", ["native", "portable"])
def test_backup_and_restore_on_the_same_database_kind(app_factory, tmp_path, db_url, method, request):
    if db_url.startswith("sqlite"):
        source, target = f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'target.sqlite3'}"
    else:
        if method == "native" and shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not on PATH")
        source, target = db_url, request.getfixturevalue("fresh_postgres_url")
    try:
        _restore_and_compare(app_factory, tmp_path, source, target, method)
    finally:  # the run's shared PostgreSQL database goes back to empty for the next test
        _clean_database(app_factory(SQLALCHEMY_DATABASE_URI=source))


def test_portable_backup_moves_sqlite_to_postgresql(app_factory, tmp_path, fresh_postgres_url):
    _restore_and_compare(app_factory, tmp_path, f"sqlite:///{tmp_path / 'source.sqlite3'}",
                         fresh_postgres_url, "portable")


def test_a_native_archive_refuses_another_database_kind(app_factory, tmp_path, fresh_postgres_url):
    source = _make_instance(app_factory, tmp_path, "source", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    _clean_database(source)
    _fill(source, tmp_path)
    archive = tmp_path / "backup.tar.gz"
    with source.app_context():
        assert source.test_cli_runner().invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    target = _make_instance(app_factory, tmp_path, "target", fresh_postgres_url)
    _clean_database(target)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 1 and "--format portable" in result.output


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        info = tarfile.TarInfo("../../etc/evil")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    result = runner.invoke(args=["restore", str(bogus)])
    assert result.exit_code == 1 and "not an lms backup" in result.output
    assert not (tmp_path.parent.parent / "etc" / "evil").exists()
    (tmp_path / "plain.txt").write_text("hello")
    result = runner.invoke(args=["restore", str(tmp_path / "plain.txt")])
    assert result.exit_code == 1 and "not an lms backup" in result.output
