"""`lms content sync` of courses and labs: upsert by slug, idempotence, reorder, archive, conflicts, the CLI."""

import pytest
from sqlalchemy import select

from lms.content import loading
from lms.courses.models import Course, Module, ModuleCompletion, ModuleRevision
from lms.extensions import db
from lms.labs.models import Lab
from tests.support import NOW

from .content_factory import (
    SHIPPED_COURSES,
    SHIPPED_LABS,
    make_course,
    make_labs,
    module_md,
    snapshot,
    write,
)


@pytest.fixture
def folders(tmp_path):
    courses, labs = tmp_path / "courses", tmp_path / "labs"
    make_course(courses)
    make_labs(labs, ("cobot-cell", "twin"))
    return courses, labs


def sync(folders, **kw):
    return loading.sync_content(courses=folders[0], labs=folders[1], **kw)


def run(folders, **kw):
    report = sync(folders, **kw)
    assert report.errors == []
    db.session.commit()
    return report


def module(slug, course="test-course") -> Module:
    return db.session.scalar(select(Module).join(Course).where(Course.slug == course, Module.slug == slug))


def test_first_sync_adds_everything_and_the_second_changes_nothing(app, folders):
    report = run(folders)
    assert report.summary() == ("courses: 1 added, 0 updated, 0 unchanged; modules: 2 added, 0 updated, 0 unchanged; "
                                "labs: 2 added, 0 updated, 0 unchanged; conflicts: 0")
    assert report.changed
    course = db.session.scalar(select(Course))
    assert (course.title, course.language, course.audience) == ("Test course", "en", ["manager", "technician"])
    assert [(m.slug, m.position, m.title, m.minutes) for m in course.modules] == [
        ("intro", 1, "Introduction", 10), ("sensors", 2, "Sensors", 20)]
    assert [(r.number, r.source) for r in module("intro").revisions] == [(1, "file")]
    assert {lab.slug for lab in db.session.scalars(select(Lab))} == {"cobot-cell", "twin"}

    before = snapshot()
    again = run(folders)
    assert again.lines() == [
        "courses: 0 added, 0 updated, 1 unchanged; modules: 0 added, 0 updated, 2 unchanged; "
        "labs: 0 added, 0 updated, 2 unchanged; conflicts: 0",
        "Nothing changed.",
    ]
    assert snapshot() == before  # no updated_at moved, no revision added


def test_the_shipped_content_syncs_and_is_idempotent(app):
    report = run((SHIPPED_COURSES, SHIPPED_LABS))
    assert report.get("courses", "added") >= 3 and report.get("modules", "added") >= 15
    assert report.get("labs", "added") >= 5
    before = snapshot()
    assert "Nothing changed." in run((SHIPPED_COURSES, SHIPPED_LABS)).lines()
    assert snapshot() == before


def test_an_edited_file_updates_its_module_with_a_new_revision(app, folders):
    run(folders)
    first = snapshot()
    write(folders[0] / "test-course" / "02-sensors.md", module_md("Smart sensors", 25, "IO-Link."))
    report = run(folders)
    assert (report.get("modules", "updated"), report.get("modules", "unchanged"), report.get("courses", "unchanged")) \
        == (1, 1, 1)
    sensors = module("sensors")
    assert (sensors.title, sensors.minutes, sensors.body) == ("Smart sensors", 25, "IO-Link.")
    assert [(r.number, r.source, r.title) for r in sensors.revisions] == [(1, "file", "Sensors"),
                                                                         (2, "file", "Smart sensors")]
    # The other module was not touched.
    assert [m for m in snapshot()["modules"] if m[1] == "intro"] == [m for m in first["modules"] if m[1] == "intro"]


def test_renumbering_keeps_the_module_and_its_completion(app, folders, create_user):
    run(folders)
    user = create_user()
    intro = module("intro")
    db.session.add(ModuleCompletion(user_id=user.id, module_id=intro.id))
    db.session.commit()
    folder = folders[0] / "test-course"
    (folder / "01-intro.md").rename(folder / "03-intro.md")
    report = run(folders)
    assert report.get("modules", "updated") == 1 and report.get("modules", "added") == 0
    moved = module("intro")
    assert (moved.id, moved.position) == (intro.id, 3)
    assert [m.slug for m in moved.course.live_modules] == ["sensors", "intro"]
    assert len(moved.revisions) == 1  # the text did not change
    assert db.session.scalar(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user.id)) == intro.id


def test_a_removed_module_is_archived_with_its_progress_and_comes_back(app, folders, create_user):
    run(folders)
    user = create_user()
    sensors_id = module("sensors").id
    db.session.add(ModuleCompletion(user_id=user.id, module_id=sensors_id))
    db.session.commit()
    path = folders[0] / "test-course" / "02-sensors.md"
    text = path.read_text()
    path.unlink()
    report = sync(folders, now=NOW)
    db.session.commit()
    assert report.get("modules", "archived") == 1
    assert "modules: 0 added, 0 updated, 1 unchanged, 1 archived; labs: 0 added" in report.summary()
    sensors = module("sensors")
    assert sensors.archived_at == NOW and sensors.id == sensors_id
    assert [m.slug for m in sensors.course.live_modules] == ["intro"]
    assert db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.module_id == sensors_id)) is not None
    assert "Nothing changed." in run(folders).lines()  # archiving is not repeated

    path.write_text(text)
    report = run(folders)
    assert report.get("modules", "restored") == 1 and "1 restored" in report.summary()
    assert module("sensors").archived_at is None and module("sensors").id == sensors_id


def test_a_module_made_in_the_browser_is_not_archived(app, folders):
    run(folders)
    course = db.session.scalar(select(Course))
    course.modules.append(Module(slug="extra", title="Extra", position=9, edited_in_browser_at=NOW))
    db.session.commit()
    assert "Nothing changed." in run(folders).lines()
    assert module("extra").archived_at is None


def _browser_edit(slug, body, when=NOW):
    m = module(slug)
    m.body = body
    m.edited_in_browser_at = when
    m.revisions.append(ModuleRevision(number=len(m.revisions) + 1, title=m.title, minutes=m.minutes, body=body,
                                      source="browser"))
    db.session.commit()


def test_a_browser_edit_with_an_unchanged_file_is_left_alone(app, folders):
    run(folders)
    _browser_edit("intro", "Edited in the browser.")
    report = run(folders)
    assert "Nothing changed." in report.lines() and report.conflicts == []
    assert module("intro").body == "Edited in the browser."


def test_a_browser_edit_and_a_file_change_conflict_unless_forced(app, folders):
    run(folders)
    _browser_edit("intro", "Edited in the browser.")
    path = folders[0] / "test-course" / "01-intro.md"
    write(path, module_md("Introduction", 10, "Edited in the file."))

    report = run(folders)
    assert report.conflicts == [f"{path}: conflict: edited in the browser on {NOW:%Y-%m-%d %H:%M} UTC; "
                                "the browser version is kept (use --force to take the file)"]
    assert report.summary().endswith("conflicts: 1")
    intro = module("intro")
    assert intro.body == "Edited in the browser." and intro.edited_in_browser_at == NOW
    assert len(intro.revisions) == 2

    report = run(folders, force=True)
    assert report.conflicts == [] and report.get("modules", "updated") == 1
    intro = module("intro")
    assert intro.body == "Edited in the file." and intro.edited_in_browser_at is None
    assert [r.source for r in intro.revisions] == ["file", "browser", "file"]
    assert "Nothing changed." in run(folders).lines()


def test_a_file_that_catches_up_with_the_browser_is_no_conflict(app, folders):
    run(folders)
    _browser_edit("intro", "Same words.")
    write(folders[0] / "test-course" / "01-intro.md", module_md("Introduction", 10, "Same words."))
    report = run(folders)
    assert report.conflicts == []
    assert module("intro").edited_in_browser_at is None and len(module("intro").revisions) == 2


def test_a_browser_reorder_is_kept_by_sync_unless_forced(app, folders):
    from lms.courses import authoring

    run(folders)
    course = module("intro").course
    files_order = [m.slug for m in sorted(course.live_modules, key=lambda m: m.position)]
    authoring.reorder(course, [m.id for m in reversed(course.live_modules)], NOW)
    db.session.commit()
    browser_order = [m.slug for m in sorted(course.live_modules, key=lambda m: m.position)]
    assert browser_order == list(reversed(files_order))

    report = run(folders)
    assert report.conflicts and all("the browser's order is kept" in c for c in report.conflicts)
    assert [m.slug for m in sorted(module("intro").course.live_modules, key=lambda m: m.position)] == browser_order

    run(folders, force=True)
    assert [m.slug for m in sorted(module("intro").course.live_modules, key=lambda m: m.position)] == files_order


def test_labs_are_updated_archived_and_restored(app, folders):
    labs = folders[1]
    run(folders)
    write(labs / "twin.md", (labs / "twin.md").read_text().replace("seats: 6", "seats: 12"))
    (labs / "cobot-cell.md").rename(labs / "cobot-cell.bak")
    report = sync(folders, now=NOW)
    db.session.commit()
    assert (report.get("labs", "updated"), report.get("labs", "archived")) == (1, 1)
    by_slug = {lab.slug: lab for lab in db.session.scalars(select(Lab))}
    assert by_slug["twin"].seats == 12 and by_slug["cobot-cell"].archived_at == NOW
    (labs / "cobot-cell.bak").rename(labs / "cobot-cell.md")
    assert run(folders).get("labs", "restored") == 1
    assert db.session.scalar(select(Lab).where(Lab.slug == "cobot-cell")).archived_at is None


def test_only_the_folders_given_are_synced(app, folders):
    run(folders)
    report = run((folders[0], None))
    assert report.get("labs", "archived") == 0
    assert all(lab.archived_at is None for lab in db.session.scalars(select(Lab)))


# The command line --------------------------------------------------------------------------------------

def test_cli_sync_prints_the_summary_and_exits_0(app, runner, folders):
    courses, labs = folders
    result = runner.invoke(args=["content", "sync", "--courses", str(courses), "--labs", str(labs)])
    assert result.exit_code == 0, result.output
    assert "courses: 1 added, 0 updated, 0 unchanged; modules: 2 added" in result.output
    result = runner.invoke(args=["content", "sync", "--courses", str(courses), "--labs", str(labs)])
    assert result.exit_code == 0 and result.output.strip().endswith("Nothing changed.")


def test_cli_sync_prints_every_error_exits_1_and_writes_nothing(app, runner, folders):
    courses, labs = folders
    folder = courses / "test-course"
    write(folder / "02-sensors.md", "---\ntitle: Sensors\nminutes: many\n---\n")
    write(folder / "03-more.md", "")
    write(labs / "twin.md", (labs / "twin.md").read_text().replace("seats: 6", "seats: -1"))
    result = runner.invoke(args=["content", "sync", "--courses", str(courses), "--labs", str(labs)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"{folder / '02-sensors.md'}:3: minutes: must be a whole number of at least 1, not 'many'",
        f"{folder / '03-more.md'}:1: the file is empty",
        f"{labs / 'twin.md'}:5: seats: must be a whole number of at least 1, not the number -1",
        "3 problem(s) found; nothing was written.",
    ]
    assert snapshot()["courses"] == [] and snapshot()["modules"] == [] and snapshot()["labs"] == []


def test_cli_force_takes_the_file(app, runner, folders):
    courses, labs = folders
    run(folders)
    _browser_edit("intro", "Browser.")
    write(courses / "test-course" / "01-intro.md", module_md("Introduction", 10, "File."))
    args = ["content", "sync", "--courses", str(courses), "--labs", str(labs)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and f"conflict: edited in the browser on {NOW:%Y-%m-%d}" in result.output
    result = runner.invoke(args=[*args, "--force"])
    assert result.exit_code == 0 and "conflict" not in result.output.replace("conflicts: 0", "")
    db.session.expire_all()
    assert module("intro").body == "File."


def test_cli_check_validates_without_writing(app, runner, folders):
    courses, labs = folders
    result = runner.invoke(args=["content", "check", "--courses", str(courses), "--labs", str(labs)])
    assert result.exit_code == 0
    assert result.output.strip() == "All content is valid: 1 courses (2 modules), 2 labs."
    assert snapshot()["courses"] == []
    write(courses / "test-course" / "stray.gift", "x")
    result = runner.invoke(args=["content", "check", "--courses", str(courses), "--labs", str(labs)])
    assert result.exit_code == 1 and f"{courses / 'test-course' / 'stray.gift'}:1: stray quiz file" in result.output


def test_cli_defaults_to_the_configured_folders(app_factory, folders):
    courses, labs = folders
    other = app_factory(COURSES_DIR=str(courses), LABS_DIR=str(labs))
    result = other.test_cli_runner().invoke(args=["content", "sync"])
    assert result.exit_code == 0 and "courses: 1 added" in result.output


# PostgreSQL too: the same sync in one transaction --------------------------------------------------------

def test_sync_on_both_databases(db_app, folders):
    run(folders)
    folder = folders[0] / "test-course"
    (folder / "02-sensors.md").rename(folder / "05-sensors.md")
    (folder / "01-intro.md").unlink()
    report = run(folders)
    assert (report.get("modules", "archived"), report.get("modules", "updated")) == (1, 1)
    assert [(m.slug, m.position, m.archived_at is not None) for m in db.session.scalar(select(Course)).modules] == [
        ("intro", 1, True), ("sensors", 5, False)]
    assert "Nothing changed." in run(folders).lines()
