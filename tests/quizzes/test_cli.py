"""`lms quiz import-gift` and `lms quiz export-gift`."""
from collections import Counter

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.quizzes import gift, store
from lms.quizzes.models import Quiz, QuizQuestion
from tests.own_data import GIFT, SHARED_GIFT, shared
from tests.quizzes.learner_factories import QUIZ_GIFT, make_course, make_quiz

# (file, number of questions, questions per type): the project's own files, then Moodle's where present.
GIFT_FILES = [
    (GIFT / "every_type.gift", 27, {"multichoice": 8, "truefalse": 7, "numerical": 5, "shortanswer": 2, "match": 2,
                                    "essay": 2, "description": 1}),
    (GIFT / "categories.gift", 4, {"truefalse": 1, "multichoice": 1, "shortanswer": 1, "match": 1}),
    shared("gift/moodle_examples.gift.txt", SHARED_GIFT / "moodle_examples.gift.txt", 43,
           {"multichoice": 18, "shortanswer": 9, "numerical": 8, "truefalse": 5, "match": 3}),
    shared("gift/moodle_tests_fixtures_questions.gift.txt", SHARED_GIFT / "moodle_tests_fixtures_questions.gift.txt",
           9, {"truefalse": 3, "multichoice": 2, "essay": 1, "match": 1, "numerical": 1, "shortanswer": 1}),
    shared("gift/moodle_tests_fixtures_questions_in_category.gift.txt",
           SHARED_GIFT / "moodle_tests_fixtures_questions_in_category.gift.txt",
           4, {"match": 1, "multichoice": 1, "shortanswer": 1, "truefalse": 1}),
]


@pytest.fixture
def course(app):
    return make_course()


def live(course, module=None):
    db.session.expire_all()
    quiz = store.get_quiz(course, module)
    return quiz.live_questions if quiz is not None else []


@pytest.mark.parametrize(("path", "count", "types"), GIFT_FILES, ids=lambda v: getattr(v, "name", ""))
def test_gift_files_import_into_a_module(runner, course, path, count, types):
    result = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--module", "m1"])
    assert result.exit_code == 0, result.output
    rows = live(course, course.modules[0])
    assert len(rows) == count and Counter(row.qtype for row in rows) == types
    assert f"Module 1 — quiz: {count} added, 0 unchanged, 0 archived ({count} questions)." in result.output

    again = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--module", "m1"])
    assert f"0 added, {count} unchanged, 0 archived" in again.output
    assert store.get_quiz(course, course.modules[0]).edited_in_browser_at is not None  # not the course files


def test_import_into_the_final_quiz(runner, course, tmp_path):
    path = tmp_path / "final.gift"
    path.write_text(QUIZ_GIFT, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--final"])
    assert result.exit_code == 0, result.output
    assert [row.name for row in live(course)] == [q.name for q in gift.parse(QUIZ_GIFT)]


def test_a_parse_error_prints_path_line_message_exits_1_and_writes_nothing(runner, course, tmp_path):
    make_quiz(course, course.modules[0])
    before = sorted(row.id for row in live(course, course.modules[0]))
    path = tmp_path / "broken.gift"
    path.write_text("::Good::Fine?{T}\n\n::Bad::Pick{=a ~b\n\n::Worse::Match{=x -> 1}\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--module", "m1"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines() if hasattr(result, "stderr") else result.output.splitlines()
    assert any(line.startswith(f"{path}:3: ") for line in lines), lines
    assert any(line.startswith(f"{path}:5: ") for line in lines), lines
    assert "nothing was written" in result.output
    assert sorted(row.id for row in live(course, course.modules[0])) == before


def test_bad_targets_are_refused(runner, course, tmp_path):
    path = tmp_path / "q.gift"
    path.write_text(QUIZ_GIFT, encoding="utf-8")
    no_course = runner.invoke(args=["quiz", "import-gift", str(path), "--course", "nope", "--module", "m1"])
    assert no_course.exit_code == 1 and "No course 'nope'" in no_course.output
    no_module = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--module", "zz"])
    assert no_module.exit_code == 1 and "has no module 'zz' (modules: m1, m2)" in no_module.output
    both = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug, "--module", "m1",
                               "--final"])
    assert both.exit_code == 1
    # Neither --module nor --final: the questions need the course's categories.
    uncategorised = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug])
    assert uncategorised.exit_code == 1 and f"{path}:1: without --module or --final" in uncategorised.output
    assert db.session.scalar(select(QuizQuestion)) is None


def test_export_single_file_and_import_it_back(runner, course, tmp_path):
    make_quiz(course, course.modules[0])
    make_quiz(course, course.modules[1], text="::Only::One question?{T}\n")
    make_quiz(course, None, text="::Final::The end?{F}\n")
    ids = {row.id for row in db.session.scalars(select(QuizQuestion))}
    result = runner.invoke(args=["quiz", "export-gift", "--course", course.slug])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.index("$CATEGORY: digital-basics/m1") < text.index("$CATEGORY: digital-basics/m2") \
        < text.index("$CATEGORY: digital-basics/final")
    assert len(gift.parse(text)) == 6 + 1 + 1

    path = tmp_path / "all.gift"
    path.write_text(text, encoding="utf-8")
    back = runner.invoke(args=["quiz", "import-gift", str(path), "--course", course.slug])
    assert back.exit_code == 0, back.output
    assert back.output.count("0 added") == 3  # every question kept its row
    assert {row.id for row in db.session.scalars(select(QuizQuestion)) if row.archived_at is None} == ids


def test_export_one_file_per_quiz(runner, course, tmp_path):
    make_quiz(course, course.modules[0])
    make_quiz(course, None, text="::Final::The end?{F}\n")
    out = tmp_path / "out"
    result = runner.invoke(args=["quiz", "export-gift", "--course", course.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["01-m1.gift", "final.gift"]
    assert gift.parse((out / "01-m1.gift").read_text()) == gift.parse(QUIZ_GIFT)
    assert [q.name for q in gift.parse((out / "final.gift").read_text())] == ["Final"]


def test_export_of_the_shipped_courses_round_trips_through_sync(app, runner, tmp_path):
    """Every shipped quiz exported and synced again gives the same question rows."""
    from lms.content import loading
    from tests.courses.content_factory import SHIPPED_COURSES

    assert not loading.sync_content(courses=SHIPPED_COURSES).errors
    db.session.commit()
    quizzes = list(db.session.scalars(select(Quiz)))
    for quiz in quizzes:
        if quiz.live_questions:
            from lms.quizzes.gift_export import dump_questions

            again = gift.parse(dump_questions([store.question_of(r) for r in quiz.live_questions]))
            assert [store.question_hash(q) for q in again] == [r.content_hash for r in quiz.live_questions]
    out = tmp_path / "out"
    result = runner.invoke(args=["quiz", "export-gift", "--course", "digital-hr", "--out", str(out)])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (SHIPPED_COURSES / "digital-hr").glob("*.gift"))


def test_help_texts(runner):
    assert "--final" in runner.invoke(args=["quiz", "import-gift", "--help"]).output
    assert "$CATEGORY" in runner.invoke(args=["quiz", "export-gift", "--help"]).output
