"""lms.quizzes.store: quizzes, settings and question rows (on a real database)."""
from datetime import timedelta

import pytest

from lms.extensions import db
from lms.quizzes import gift, store
from lms.quizzes.models import DEFAULT_SETTINGS, Attempt, Response
from lms.quizzes.questions import Question
from tests.quizzes.learner_factories import NOW, QUIZ_GIFT, make_course


@pytest.fixture
def course(app):
    return make_course()


def test_get_or_create_quiz_titles_keys_and_defaults(course):
    module = course.modules[0]
    assert store.get_quiz(course, module) is None
    quiz = store.get_or_create_quiz(course, module)
    assert quiz.key == "module:m1" and quiz.title == "Module 1 — quiz" and quiz.module is module
    assert store.settings_of(quiz) == DEFAULT_SETTINGS
    final = store.get_or_create_quiz(course)
    assert final.key == "final" and final.is_final and final.title == "Digital basics — final quiz"
    db.session.commit()
    assert store.get_or_create_quiz(course, module).id == quiz.id
    assert store.get_quiz(course).id == final.id


def test_apply_settings_converts_checks_and_marks_browser_edits(course):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    assert store.apply_settings(quiz, {"pass_mark": 80, "attempts": 3, "time_limit": "20",
                                       "shuffle_questions": True, "show_feedback": "never",
                                       "grade": "last"}, NOW) is True
    assert quiz.edited_in_browser_at == NOW
    assert store.settings_of(quiz) == {**DEFAULT_SETTINGS, "pass_mark": 80, "attempts": 3, "time_limit": 20,
                                       "shuffle_questions": True, "show_feedback": "never", "grade": "last"}
    quiz.edited_in_browser_at = None
    assert store.apply_settings(quiz, {"pass_mark": 80}, NOW) is False  # unchanged: no browser mark
    assert quiz.edited_in_browser_at is None
    assert store.apply_settings(quiz, {"pass_mark": 60}, NOW, from_browser=False) is True
    assert quiz.edited_in_browser_at is None


@pytest.mark.parametrize("settings, message", [
    ({"pass_mark": 101}, "pass_mark: must be between 0 and 100"),
    ({"attempts": -1}, "attempts: must be at least 0"),
    ({"time_limit": 1.5}, "time_limit: expected a whole number"),
    ({"shuffle_answers": "maybe"}, "shuffle_answers: expected true or false"),
    ({"show_feedback": "sometimes"}, "show_feedback: must be one of immediately, after_last_attempt, never"),
    ({"grade": "average"}, "grade: must be one of best, last"),
    ({"colour": "red"}, "colour: unknown quiz setting"),
])
def test_apply_settings_refuses_bad_values_and_changes_nothing(course, settings, message):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    with pytest.raises(store.QuizError, match=message):
        store.apply_settings(quiz, {"pass_mark": 55, **settings}, NOW)
    assert quiz.pass_mark == 70


def test_replace_questions_keeps_matching_rows_adds_and_archives(course):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    questions = gift.parse(QUIZ_GIFT)
    first = store.replace_questions(quiz, questions, NOW, from_browser=False)
    assert first == (6, 0, 0) and quiz.edited_in_browser_at is None
    ids = {row.name: row.id for row in quiz.live_questions}
    assert [row.name for row in quiz.live_questions] == [q.name for q in questions]

    # The same questions again, with the lines moved: nothing changes.
    moved = gift.parse("\n\n\n" + QUIZ_GIFT)
    assert store.replace_questions(quiz, moved, NOW, from_browser=False) == (0, 6, 0)

    # Reordered, one edited, one dropped: the rest keep their rows, in the new order.
    edited = gift.parse("::Capital::The capital of Italy is?{=Rome ~Milan ~Turin}")[0]
    later = NOW + timedelta(hours=1)
    result = store.replace_questions(quiz, [questions[2], questions[1], edited, questions[3]], later)
    assert result == (1, 3, 3)
    assert quiz.edited_in_browser_at == later  # a browser import marks the quiz
    live = quiz.live_questions
    assert [row.name for row in live] == ["Protocol", "PLC", "Capital", "Pi"]
    assert live[0].id == ids["Protocol"] and live[1].id == ids["PLC"] and live[2].id != ids["Capital"]
    archived = [row for row in quiz.questions if row.archived_at is not None]
    assert sorted(row.name for row in archived) == ["Capital", "Match", "Sensors"]

    # An archived question that comes back gets its old row (and its statistics) again.
    store.replace_questions(quiz, questions, later, from_browser=False)
    assert {row.name: row.id for row in quiz.live_questions if row.name != "Capital"} == \
        {name: id_ for name, id_ in ids.items() if name != "Capital"}
    assert [row.name for row in quiz.live_questions] == [q.name for q in questions]


def test_replace_questions_validates_everything_first(course):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    store.replace_questions(quiz, gift.parse(QUIZ_GIFT), NOW)
    bad = gift.parse("::Bad::Pick one{=a ~b}")[0]
    bad.answers[0].fraction = 0.5  # no 100% answer any more
    with pytest.raises(store.QuizError, match="Bad"):
        store.replace_questions(quiz, [gift.parse("::New::New?{T}")[0], bad], NOW)
    assert len(quiz.live_questions) == 6


def test_add_update_archive_move(course, create_user):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    store.replace_questions(quiz, gift.parse(QUIZ_GIFT), NOW, from_browser=False)
    added = store.add_question(quiz, gift.parse("::Extra::Is OPC UA a protocol?{T}")[0], NOW)
    assert quiz.live_questions[-1].id == added.id and added.position == 7
    assert quiz.edited_in_browser_at == NOW

    # Not answered yet: edited in place.
    edited = store.update_question(added, gift.parse("::Extra::Is OPC UA an open standard?{T}")[0], NOW)
    assert edited.id == added.id and "open standard" in edited.data["text"]

    # Answered: archived and replaced at the same position, the response keeps its question.
    user = create_user()
    attempt = Attempt(quiz=quiz, user=user, number=1, layout={})
    db.session.add(attempt)
    db.session.add(Response(attempt=attempt, question=edited, answer=True))
    db.session.flush()
    replaced = store.update_question(edited, gift.parse("::Extra::Is OPC UA open?{T}")[0], NOW)
    assert replaced.id != edited.id and replaced.position == edited.position
    assert edited.archived_at == NOW and replaced.archived_at is None
    with pytest.raises(store.QuizError):
        store.update_question(edited, gift.parse("::Extra::Again?{T}")[0], NOW)

    with pytest.raises(store.QuizError):
        store.add_question(quiz, Question(qtype="multichoice", name="Broken", text="?"), NOW)

    names = [row.name for row in quiz.live_questions]
    assert store.move_question(quiz.live_questions[0], 1, NOW) is True
    assert [row.name for row in quiz.live_questions][:2] == [names[1], names[0]]
    assert store.move_question(quiz.live_questions[0], -1, NOW) is False

    store.archive_question(quiz.live_questions[0], NOW)
    assert len(quiz.live_questions) == 6


def test_question_of_round_trips(course):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    questions = gift.parse(QUIZ_GIFT)
    store.replace_questions(quiz, questions, NOW)
    assert [store.question_of(row) for row in quiz.live_questions] == questions
    assert store.describe_settings({**DEFAULT_SETTINGS, "attempts": 2}) == {"attempts": 2}
