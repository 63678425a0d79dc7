"""The content-loading core: a feature's loader joins the sync by registering; its files are read, checked
and applied in the same transaction as everyone else's, and one wrong file anywhere writes nothing."""
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content import loading
from lms.content.frontmatter import ContentError, Key, read_document, slug, text, whole_number
from lms.extensions import db
from lms.labs.models import Lab, LabSession
from tests.courses.content_factory import make_course, make_labs, snapshot, write
from tests.support import NOW

SESSION_SCHEMA = {"lab": Key(slug, required=True), "title": Key(text(200), required=True),
                  "seats": Key(whole_number(1), required=True)}


# A loader as a feature would write one: lab sessions as files, sessions/<name>.md naming a lab by slug.

def read_sessions(folder: Path):
    items, errors = [], []
    for path in sorted(folder.glob("*.md")):
        doc, more = read_document(path, SESSION_SCHEMA)
        errors += more
        if doc is not None:
            items.append(doc)
    return items, errors


def check_sessions(content) -> list:
    """A link between two loaders' files: the lab must be in the labs folder."""
    labs = {lab.slug for lab in content["labs"]}
    return [ContentError(str(doc.path), doc.lines[("lab",)], f"lab: no lab '{doc.meta['lab']}'")
            for doc in content["sessions"] if doc.meta["lab"] not in labs]


def apply_sessions(content, report, *, force, now):
    labs = {lab.slug: lab for lab in db.session.scalars(select(Lab))}  # written by the labs loader, not committed
    for doc in content["sessions"]:
        lab = labs[doc.meta["lab"]]
        db.session.add(LabSession(lab_id=lab.id, title=doc.meta["title"], capacity=doc.meta["seats"],
                                  starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=2)))
        report.count("sessions", "added")


SESSIONS = loading.Loader("sessions", order=35, folder="sessions", config_key="SESSIONS_DIR",
                          folder_help="Folder of session files.", kinds=("sessions",), read=read_sessions,
                          check=check_sessions, apply=apply_sessions, describe=lambda docs: f"{len(docs)} sessions")


@pytest.fixture
def register(monkeypatch):
    """loading.register for one test: the registry is put back afterwards."""
    monkeypatch.setattr(loading, "_loaders", dict(loading._loaders))
    return loading.register


@pytest.fixture
def folders(tmp_path):
    courses, labs, sessions = tmp_path / "courses", tmp_path / "labs", tmp_path / "sessions"
    make_course(courses)
    make_labs(labs, ("cobot-cell",))
    write(sessions / "open-day.md", "---\nlab: cobot-cell\ntitle: Open day\nseats: 4\n---\n")
    return {"courses": courses, "labs": labs, "sessions": sessions}


def test_the_features_register_their_loaders_in_order(app):
    names = [loader.name for loader in loading.loaders()]
    assert names == ["courses", "quizzes", "labs", "assessment", "completion"]
    assert [(loader.folder, loader.config_key) for loader in loading.folders()] == [
        ("courses", "COURSES_DIR"), ("labs", "LABS_DIR")]


def test_a_registered_loader_is_checked_and_synced_in_the_same_transaction(app, register, folders):
    register(SESSIONS)
    content = loading.check_content(**folders)
    assert content.errors == [] and [doc.meta["title"] for doc in content["sessions"]] == ["Open day"]
    assert content.describe() == "1 courses (2 modules), 1 labs, 1 sessions"

    report = loading.sync_content(now=NOW, **folders)
    assert report.errors == []
    assert report.summary() == ("courses: 1 added, 0 updated, 0 unchanged; modules: 2 added, 0 updated, 0 unchanged; "
                                "labs: 1 added, 0 updated, 0 unchanged; sessions: 1 added, 0 updated, 0 unchanged; "
                                "conflicts: 0")
    db.session.commit()
    session = db.session.scalar(select(LabSession))
    assert (session.title, session.capacity, session.lab.slug) == ("Open day", 4, "cobot-cell")
    assert snapshot()["courses"][0][0] == "test-course"


def test_a_sync_without_a_loaders_folder_skips_it(app, register, folders):
    register(SESSIONS)
    report = loading.sync_content(courses=folders["courses"], labs=folders["labs"], now=NOW)
    assert report.errors == [] and "sessions" not in report.counts
    assert report.summary().endswith("labs: 1 added, 0 updated, 0 unchanged; sessions: 0 added, 0 updated, "
                                      "0 unchanged; conflicts: 0")
    assert db.session.scalar(select(LabSession)) is None
    with pytest.raises(TypeError, match="no loader reads the folder"):
        loading.check_content(notes=folders["courses"])


def test_an_error_in_one_loaders_file_writes_nothing_and_names_path_and_line(app, register, folders):
    register(SESSIONS)
    path = write(folders["sessions"] / "open-day.md", "---\ntitle: Open day\nseats: 4\nlab: no-such-lab\n---\n")
    report = loading.sync_content(now=NOW, **folders)
    assert [str(e) for e in report.errors] == [f"{path}:4: lab: no lab 'no-such-lab'"]
    db.session.commit()
    assert snapshot()["courses"] == [] and snapshot()["labs"] == [] and db.session.scalar(select(LabSession)) is None

    write(path, "---\nlab: cobot-cell\ntitle: Open day\nseats: none\n---\n")
    report = loading.sync_content(now=NOW, **folders)
    assert [str(e) for e in report.errors] == [
        f"{path}:4: seats: must be a whole number of at least 1, not 'none'"]


def test_an_error_found_while_applying_rolls_back_every_loader(app, register, folders):
    """The last loader fails after the courses, quizzes and labs loaders have written: nothing is kept."""
    def refuse(content, report, **kwargs):
        raise loading.ContentInvalid([f"{folders['sessions'] / 'open-day.md'}:2: the lab is closed that week"])

    register(loading.Loader("refuses", order=95, apply=refuse))
    report = loading.sync_content(courses=folders["courses"], labs=folders["labs"], now=NOW)
    assert [str(e) for e in report.errors] == [f"{folders['sessions'] / 'open-day.md'}:2: the lab is closed that week"]
    assert report.counts == {}
    db.session.commit()
    assert snapshot()["courses"] == [] and snapshot()["modules"] == [] and snapshot()["labs"] == []


def test_the_cli_reports_a_loaders_error_exits_1_and_writes_nothing(app, runner, register, folders):
    def refuse(content, report, **kwargs):
        raise loading.ContentInvalid([f"{folders['courses'] / 'test-course' / 'course.md'}:3: refused"])

    register(loading.Loader("refuses", order=95, apply=refuse))
    result = runner.invoke(args=["content", "sync", "--courses", str(folders["courses"]),
                                 "--labs", str(folders["labs"])])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{folders['courses'] / 'test-course' / 'course.md'}:3: refused", "1 problem(s) found; nothing was written."]
    assert snapshot()["courses"] == [] and snapshot()["labs"] == []
