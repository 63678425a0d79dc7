"""Quiz files in course folders: the quizzes loader's check and apply steps in `lms content sync`."""
import shutil
from collections import Counter

import pytest
from sqlalchemy import select

from lms.content import loading
from lms.courses.models import Course
from lms.extensions import db
from lms.quizzes import gift, loader, store
from lms.quizzes.models import Quiz, QuizQuestion
from tests.courses.content_factory import SHIPPED_COURSES, make_course, module_md, write
from tests.support import NOW

GIFT_1 = """::One::Is OPC UA a standard?{T}

::Two::Which protocol publishes and subscribes?{=MQTT ~Modbus ~RS-232}

::Three::Name the IIoT messaging protocol.{=MQTT}
"""


def quizzes_by_key(slug):
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    return {quiz.key: quiz for quiz in db.session.scalars(select(Quiz).where(Quiz.course_id == course.id))}


def run(courses_dir, force=False):
    report = loading.sync_content(courses=courses_dir, force=force)
    assert not report.errors, report.errors
    db.session.commit()
    return report


def question_rows():
    db.session.expire_all()
    return sorted((q.quiz_id, q.id, q.position, q.content_hash, q.archived_at)
                  for q in db.session.scalars(select(QuizQuestion)))


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "courses"
    course = make_course(root, modules={
        "01-intro.md": module_md("Introduction", extra="quiz:\n  pass_mark: 80\n  attempts: 2\n  shuffle_questions: true\n"),
        "02-sensors.md": module_md("Sensors"),
    })
    write(course / "01-intro.gift", GIFT_1)
    write(course / "final.gift", "::F1::Final question?{T}\n\n::F2::Another?{F}\n")
    return root


def test_every_shipped_quiz_imports_without_error_and_a_second_sync_changes_nothing(app):
    first = run(SHIPPED_COURSES)
    expected_quizzes = 0
    for folder in sorted(p for p in SHIPPED_COURSES.iterdir() if p.is_dir()):
        quizzes = quizzes_by_key(folder.name)
        for path in sorted(folder.glob("*.gift")):
            expected_quizzes += 1
            key = "final" if path.name == "final.gift" else f"module:{path.stem.split('-', 1)[1]}"
            quiz = quizzes[key]
            questions = gift.parse(path.read_text(encoding="utf-8"), str(path))
            assert [row.content_hash for row in quiz.live_questions] == [store.question_hash(q) for q in questions]
            assert quiz.file_hash and quiz.edited_in_browser_at is None
        # The module's front-matter settings are on its quiz.
        for module_file in folder.glob("*.md"):
            if module_file.name == "course.md":
                continue
            quiz = quizzes.get(f"module:{module_file.stem.split('-', 1)[1]}")
            if quiz is not None and quiz.module.quiz_settings:
                assert store.settings_of(quiz) == {**store.DEFAULT_SETTINGS, **quiz.module.quiz_settings}
    assert first.get("quizzes", "added") == expected_quizzes >= 20
    assert "quizzes: " in first.summary()

    before = question_rows()
    second = run(SHIPPED_COURSES)
    assert second.get("quizzes", "unchanged") == expected_quizzes and not second.changed
    assert "Nothing changed." in second.lines()
    assert question_rows() == before


def test_settings_and_final_quiz_come_from_the_front_matter(app, folder):
    course_md = (folder / "test-course" / "course.md").read_text()
    write(folder / "test-course" / "course.md",
          course_md.replace("---\nThe course", "final_quiz:\n  pass_mark: 60\n  grade: last\n---\nThe course"))
    run(folder)
    quizzes = quizzes_by_key("test-course")
    assert set(quizzes) == {"module:intro", "final"}  # 02-sensors has no .gift file: no quiz
    intro = quizzes["module:intro"]
    assert (intro.pass_mark, intro.attempts_allowed, intro.shuffle_questions) == (80, 2, True)
    assert [row.name for row in intro.live_questions] == ["One", "Two", "Three"]
    final = quizzes["final"]
    assert (final.pass_mark, final.grade_method, len(final.live_questions)) == (60, "last", 2)
    assert final.title == "Test course — final quiz" and intro.title == "Introduction — quiz"

    # A setting removed from the front matter goes back to its default.
    write(folder / "test-course" / "01-intro.md", module_md("Introduction", extra="quiz:\n  attempts: 2\n"))
    report = run(folder)
    assert report.get("quizzes", "updated") == 1
    assert (intro.pass_mark, intro.attempts_allowed, intro.shuffle_questions) == (70, 2, False)
    assert report.get("questions", "added") == 0  # same questions: rows kept


def test_a_changed_file_keeps_unchanged_questions_and_archives_removed_ones(app, folder):
    run(folder)
    intro = quizzes_by_key("test-course")["module:intro"]
    ids = {row.name: row.id for row in intro.live_questions}
    write(folder / "test-course" / "01-intro.gift",
          "::Three::Name the IIoT messaging protocol.{=MQTT}\n\n::Four::A new one?{T}\n\n" + GIFT_1.split("\n\n")[0])
    report = run(folder)
    assert (report.get("questions", "added"), report.get("questions", "unchanged"),
            report.get("questions", "archived")) == (1, 2, 1)
    assert "quiz questions archived: 1 (kept for past attempts)" in report.lines()
    db.session.expire_all()
    live = intro.live_questions
    assert [row.name for row in live] == ["Three", "Four", "One"]
    assert live[0].id == ids["Three"] and live[2].id == ids["One"]
    assert db.session.get(QuizQuestion, ids["Two"]).archived_at is not None


def test_a_browser_edit_and_a_file_change_conflict_unless_forced(app, folder):
    run(folder)
    intro = quizzes_by_key("test-course")["module:intro"]
    store.add_question(intro, gift.parse("::Browser::Added in the browser?{T}")[0], NOW)
    db.session.commit()

    # The file unchanged: the browser version simply stays.
    assert not run(folder).conflicts
    assert [row.name for row in intro.live_questions][-1] == "Browser"

    gift_path = folder / "test-course" / "01-intro.gift"
    write(gift_path, GIFT_1 + "\n::Four::From the file?{F}\n")
    report = run(folder)
    assert len(report.conflicts) == 1
    assert report.conflicts[0].startswith(f"{gift_path}: conflict: the quiz was edited in the browser on 2026-03-02")
    assert "use --force" in report.conflicts[0]
    db.session.expire_all()
    assert [row.name for row in intro.live_questions] == ["One", "Two", "Three", "Browser"]

    # --force takes the file. (Called as the quizzes loader calls it with force.)
    parsed = loading.check_content(courses=folder)["courses"][0]
    report = loading.SyncReport()
    loader.sync_course_quizzes(intro.course, parsed, report, force=True, now=NOW)
    db.session.commit()
    db.session.expire_all()
    assert [row.name for row in intro.live_questions] == ["One", "Two", "Three", "Four"]
    assert intro.edited_in_browser_at is None and not report.conflicts
    assert not run(folder).changed  # and it is in step with the file again


def test_a_file_that_catches_up_with_the_browser_is_no_conflict(app, folder):
    run(folder)
    intro = quizzes_by_key("test-course")["module:intro"]
    store.add_question(intro, gift.parse("::Four::From the file?{F}")[0], NOW)
    db.session.commit()
    write(folder / "test-course" / "01-intro.gift", GIFT_1 + "\n::Four::From the file?{F}\n")
    report = run(folder)
    assert not report.conflicts
    db.session.expire_all()
    assert intro.edited_in_browser_at is None and len(intro.live_questions) == 4


def test_a_removed_quiz_file_archives_the_questions_and_keeps_the_quiz(app, folder):
    run(folder)
    quiz_id = quizzes_by_key("test-course")["module:intro"].id
    (folder / "test-course" / "01-intro.gift").unlink()
    report = run(folder)
    assert report.get("quizzes", "archived") == 1 and report.get("questions", "archived") == 3
    quiz = db.session.get(Quiz, quiz_id)
    assert quiz is not None and quiz.live_questions == [] and len(quiz.questions) == 3
    assert not run(folder).changed  # idempotent

    # The file comes back: the same rows come back.
    write(folder / "test-course" / "01-intro.gift", GIFT_1)
    run(folder)
    db.session.expire_all()
    assert sorted(row.id for row in quiz.live_questions) == sorted(row.id for row in quiz.questions)


def test_invalid_gift_files_are_reported_with_lines_and_nothing_is_written(app, folder):
    write(folder / "test-course" / "02-sensors.gift", "::Ok::Fine?{T}\n\n::Broken::Pick one{=a ~b\n")
    write(folder / "test-course" / "final.gift", "::Bad::Two right answers, no weights{~%50%a ~%30%b}\n")
    report = loading.sync_content(courses=folder)
    messages = [str(e) for e in report.errors]
    sensors = folder / "test-course" / "02-sensors.gift"
    assert any(m.startswith(f"{sensors}:3: ") for m in messages), messages
    assert any(m.startswith(f"{folder / 'test-course' / 'final.gift'}:1: ") for m in messages), messages
    db.session.rollback()
    assert db.session.scalar(select(Course)) is None


def test_an_empty_gift_file_is_a_quiz_without_questions(app, folder):
    write(folder / "test-course" / "02-sensors.gift", "\n")
    assert loader.check_course_quizzes(loading.check_content(courses=folder)["courses"][0]) == []
    run(folder)
    assert quizzes_by_key("test-course")["module:sensors"].live_questions == []


def test_the_check_hook_finds_every_problem(app, tmp_path):
    root = tmp_path / "courses"
    course = make_course(root)
    write(course / "01-intro.gift", "::A::{=x ~y\n\n::B::Match{=a -> 1}\n")
    parsed = loading.check_content(courses=root)["courses"][0]
    errors = loader.check_course_quizzes(parsed)
    assert len(errors) >= 2 and all(e.startswith(f"{course / '01-intro.gift'}:") for e in errors)
    assert Counter(e.split(":")[1] for e in errors)["3"] >= 1  # the matching question on line 3


def test_sync_on_both_databases(db_app, db_url):
    root = SHIPPED_COURSES
    report = run(root)
    assert report.get("quizzes", "added") >= 20
    assert not run(root).changed


def test_a_course_folder_copy_keeps_its_quiz_rows_when_renamed_files_move(app, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(SHIPPED_COURSES / "digital-hr", root / "digital-hr")
    run(root)
    quiz = quizzes_by_key("digital-hr")["module:why-digital-hr"]
    ids = [row.id for row in quiz.live_questions]
    for name in ("01-why-digital-hr.md", "01-why-digital-hr.gift"):
        (root / "digital-hr" / name).rename(root / "digital-hr" / name.replace("01-", "09-"))
    run(root)
    db.session.expire_all()
    assert [row.id for row in quiz.live_questions] == ids
