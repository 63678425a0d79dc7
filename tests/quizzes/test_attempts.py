"""The rules of taking a quiz, without HTTP: limits, layout, deadlines, submission, scores, feedback."""
import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.courses.enrolment import completed_module_ids
from lms.extensions import db
from lms.quizzes import attempts as rules
from lms.quizzes import policy
from lms.quizzes.models import Attempt, Response
from tests.quizzes.learner_factories import (
    ESSAY_GIFT,
    NOW,
    enrol,
    make_course,
    make_quiz,
    right_answer,
    rows_by_name,
)


@pytest.fixture
def course(app):
    return make_course()


@pytest.fixture
def learner(course, create_user):
    user = create_user()
    enrol(user, course)
    return user


def answer_all(attempt, quiz, now, wrong=()):
    for name, row in rows_by_name(quiz).items():
        answer = right_answer(row)
        if name in wrong:
            answer = {"Capital": 1, "PLC": False, "Protocol": "Modbus", "Pi": "3", "Sensors": [2]}.get(name)
        rules.save_response(attempt, row.id, answer, now)


def take(user, quiz, now, wrong=()):
    attempt = rules.start_attempt(user, quiz, now, random.Random(1))
    answer_all(attempt, quiz, now, wrong)
    assert rules.submit_attempt(attempt, now + timedelta(minutes=1))
    db.session.commit()
    return attempt


def test_only_enrolled_learners_start(course, create_user):
    quiz = make_quiz(course, course.modules[0])
    stranger = create_user("stranger@example.com")
    check = policy.can_start(stranger, quiz, NOW)
    assert not check.allowed and check.reason == "not_enrolled" and "Enrol" in check.message
    with pytest.raises(rules.AttemptError) as raised:
        rules.start_attempt(stranger, quiz, NOW)
    assert raised.value.code == "not_enrolled"


def test_a_quiz_without_questions_or_in_a_hidden_module_cannot_start(course, learner):
    empty = make_quiz(course, course.modules[1], text="")
    assert policy.can_start(learner, empty, NOW).reason == "no_questions"
    quiz = make_quiz(course, course.modules[0])
    course.modules[0].archived_at = NOW
    assert policy.can_start(learner, quiz, NOW).reason == "unavailable"


def test_numbering_resume_and_attempt_limit(course, learner):
    quiz = make_quiz(course, course.modules[0], attempts=2)
    first = rules.start_attempt(learner, quiz, NOW)
    assert first.number == 1 and first.state == "in_progress" and first.deadline_at is None
    # Starting again while one is in progress resumes it.
    assert rules.start_attempt(learner, quiz, NOW) is first
    check = policy.can_start(learner, quiz, NOW)
    assert check.reason == "in_progress" and check.resume is first and check.attempts_left == 1
    rules.submit_attempt(first, NOW)
    second = rules.start_attempt(learner, quiz, NOW)
    assert second.number == 2
    rules.submit_attempt(second, NOW)
    check = policy.can_start(learner, quiz, NOW)
    assert (check.allowed, check.reason, check.attempts_used, check.attempts_left) == (False, "attempts_used", 2, 0)
    with pytest.raises(rules.AttemptError, match="used all your attempts"):
        rules.start_attempt(learner, quiz, NOW)


def test_the_layout_is_shuffled_per_attempt_and_stable(course, learner, create_user):
    quiz = make_quiz(course, course.modules[0], shuffle_questions=True, shuffle_answers=True)
    ids = [row.id for row in quiz.live_questions]
    layouts = [rules.make_layout(quiz, random.Random(seed)) for seed in range(8)]
    assert all(sorted(layout["questions"]) == sorted(ids) for layout in layouts)
    assert len({tuple(layout["questions"]) for layout in layouts}) > 1  # really shuffled
    capital = str(rows_by_name(quiz)["Capital"].id)
    assert len({tuple(layout["choices"][capital]) for layout in layouts}) > 1
    assert all(sorted(layout["choices"][capital]) == [0, 1, 2] for layout in layouts)
    match = str(rows_by_name(quiz)["Match"].id)
    assert all(sorted(layout["stems"][match]) == [0, 1] for layout in layouts)

    attempt = rules.start_attempt(learner, quiz, NOW, random.Random(3))
    db.session.commit()
    stored = dict(attempt.layout)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).layout == stored  # a reload shows the same order

    plain = make_quiz(course, course.modules[1], shuffle_questions=False, shuffle_answers=False)
    layout = rules.make_layout(plain, random.Random(5))
    assert layout["questions"] == [row.id for row in plain.live_questions]
    assert layout["choices"][str(rows_by_name(plain)["Capital"].id)] == [0, 1, 2]


def test_time_limit_sets_the_deadline_and_refuses_late_saves(course, learner):
    quiz = make_quiz(course, course.modules[0], time_limit=20)
    attempt = rules.start_attempt(learner, quiz, NOW)
    assert attempt.deadline_at == NOW + timedelta(minutes=20)
    row = rows_by_name(quiz)["Capital"]
    rules.save_response(attempt, row.id, 0, NOW + timedelta(minutes=20))  # at the deadline: still in time
    with pytest.raises(rules.AttemptError) as raised:
        rules.save_response(attempt, row.id, 1, NOW + timedelta(minutes=20, seconds=1))
    assert raised.value.code == "closed"


def test_a_response_saved_after_the_deadline_is_not_counted(course, learner):
    quiz = make_quiz(course, course.modules[0], time_limit=10)
    attempt = rules.start_attempt(learner, quiz, NOW)
    rows = rows_by_name(quiz)
    rules.save_response(attempt, rows["Capital"].id, 0, NOW + timedelta(minutes=5))
    rules.save_response(attempt, rows["PLC"].id, True, NOW + timedelta(minutes=6))
    # A save that slipped past the deadline (e.g. in flight while time ran out) is in the table but not counted.
    late = db.session.scalar(select(Response).where(Response.question_id == rows["PLC"].id))
    late.saved_at = NOW + timedelta(minutes=10, seconds=5)
    # Submitted an hour later (the learner closed the tab): recorded at the deadline.
    assert rules.submit_attempt(attempt, NOW + timedelta(hours=1))
    assert attempt.submitted_at == NOW + timedelta(minutes=10)
    assert attempt.score == pytest.approx(1 / 6)
    assert late.fraction is None


def test_expired_attempts_are_closed_lazily_or_by_the_job(course, learner, create_user):
    quiz = make_quiz(course, course.modules[0], time_limit=5)
    attempt = rules.start_attempt(learner, quiz, NOW)
    rules.save_response(attempt, rows_by_name(quiz)["Capital"].id, 0, NOW)
    assert rules.close_expired_attempts(NOW + timedelta(minutes=4)) == 0
    # The learner opens the quiz again after the deadline: can_start no longer sees it in progress...
    assert policy.can_start(learner, quiz, NOW + timedelta(minutes=6)).reason is None
    # ...and starting submits it first, then starts attempt 2.
    second = rules.start_attempt(learner, quiz, NOW + timedelta(minutes=6))
    assert second.number == 2 and attempt.state == "submitted" and attempt.score == pytest.approx(1 / 6)

    other = create_user("other@example.com")
    enrol(other, course)
    theirs = rules.start_attempt(other, quiz, NOW)
    assert rules.close_expired_attempts(NOW + timedelta(minutes=30)) == 2  # theirs and the learner's second
    assert theirs.state == "submitted" and theirs.score == 0
    assert rules.close_expired_attempts(NOW + timedelta(minutes=30)) == 0


def test_a_double_submit_submits_once(course, learner):
    quiz = make_quiz(course, course.modules[0])
    attempt = rules.start_attempt(learner, quiz, NOW)
    answer_all(attempt, quiz, NOW)
    assert rules.submit_attempt(attempt, NOW) is True
    first = (attempt.submitted_at, attempt.score)
    assert rules.submit_attempt(attempt, NOW + timedelta(minutes=3)) is False
    assert (attempt.submitted_at, attempt.score) == first
    with pytest.raises(rules.AttemptError) as raised:
        rules.save_response(attempt, rows_by_name(quiz)["Capital"].id, 1, NOW)
    assert raised.value.code == "closed"


def test_grading_scores_and_passing_completes_the_module(course, learner):
    quiz = make_quiz(course, course.modules[0], pass_mark=70)
    module = course.modules[0]
    failed = take(learner, quiz, NOW, wrong=("Capital", "PLC"))
    assert failed.score == pytest.approx(4 / 6) and failed.passed is False
    assert module.id not in completed_module_ids(learner, course)
    passed = take(learner, quiz, NOW, wrong=())
    assert passed.score == pytest.approx(1.0) and passed.passed is True and not passed.needs_grading
    assert module.id in completed_module_ids(learner, course)
    fractions = {r.question.name: r.fraction for r in passed.responses}
    assert fractions == {"Capital": 1, "PLC": 1, "Protocol": 1, "Pi": 1, "Sensors": 1, "Match": 1}
    feedback = {r.question.name: r.feedback for r in passed.responses}
    assert feedback["Capital"] == ["Yes, Rome."]


def test_the_pass_mark_is_not_missed_by_rounding(course, learner, create_user):
    text = "\n\n".join(f"::Q{i}::Statement {i}?{{T}}" for i in range(10))
    quiz = make_quiz(course, course.modules[0], text=text, pass_mark=70)
    attempt = rules.start_attempt(learner, quiz, NOW)
    for i, row in enumerate(quiz.live_questions):
        rules.save_response(attempt, row.id, i < 7, NOW)
    rules.submit_attempt(attempt, NOW)
    assert attempt.score == pytest.approx(0.7) and attempt.passed is True


def test_a_final_quiz_pass_is_recorded_on_the_attempt_only(course, learner):
    final = make_quiz(course, None)
    attempt = take(learner, final, NOW)
    assert attempt.passed is True
    assert completed_module_ids(learner, course) == set()


def test_essays_need_grading_and_the_trainer_mark_settles_the_result(course, learner, create_user):
    quiz = make_quiz(course, course.modules[0], text=ESSAY_GIFT, pass_mark=90)
    attempt = rules.start_attempt(learner, quiz, NOW)
    answer_all_but_essay = {name: row for name, row in rows_by_name(quiz).items() if name != "Retrofit"}
    for row in answer_all_but_essay.values():
        rules.save_response(attempt, row.id, right_answer(row), NOW)
    essay = rows_by_name(quiz)["Retrofit"]
    rules.save_response(attempt, essay.id, "I would add vibration sensors to the old press.", NOW)
    rules.submit_attempt(attempt, NOW)
    assert attempt.needs_grading is True and attempt.passed is None
    assert attempt.score == pytest.approx(6 / 7)
    assert course.modules[0].id not in completed_module_ids(learner, course)

    trainer = create_user("trainer@example.com", roles=("trainer",))
    response = next(r for r in attempt.responses if r.question_id == essay.id)
    assert response.needs_manual
    rules.finish_manual_grading(response, 0.5, "Good idea, say which sensors.", trainer, NOW)
    assert attempt.needs_grading is False and attempt.score == pytest.approx(6.5 / 7) and attempt.passed is True
    assert (response.graded_by_id, response.grader_comment) == (trainer.id, "Good idea, say which sensors.")
    assert course.modules[0].id in completed_module_ids(learner, course)
    # A second mark can lower it again (the module stays complete: completion is never taken back).
    rules.finish_manual_grading(response, 0, "", trainer, NOW)
    assert attempt.passed is False


def test_a_blank_essay_needs_no_grading(course, learner):
    quiz = make_quiz(course, course.modules[0], text=ESSAY_GIFT)
    attempt = rules.start_attempt(learner, quiz, NOW)
    rules.save_response(attempt, rows_by_name(quiz)["Retrofit"].id, "   ", NOW)
    rules.submit_attempt(attempt, NOW)
    assert attempt.needs_grading is False and attempt.passed is False


@pytest.mark.parametrize("name, answer", [
    ("Capital", "Rome"), ("Capital", 7), ("Capital", True), ("Sensors", 0), ("Sensors", [0, 9]),
    ("PLC", "yes"), ("Protocol", ["MQTT"]), ("Pi", {"v": 1}), ("Match", [1, 2]), ("Match", {"0": 5}),
    ("Protocol", "x" * 501),
])
def test_tampered_answers_are_refused(course, learner, name, answer):
    quiz = make_quiz(course, course.modules[0])
    attempt = rules.start_attempt(learner, quiz, NOW)
    with pytest.raises(rules.AttemptError) as raised:
        rules.save_response(attempt, rows_by_name(quiz)[name].id, answer, NOW)
    assert raised.value.code == "invalid"


def test_a_question_of_another_quiz_is_refused(course, learner):
    quiz = make_quiz(course, course.modules[0])
    other = make_quiz(course, course.modules[1])
    attempt = rules.start_attempt(learner, quiz, NOW)
    with pytest.raises(rules.AttemptError, match="Unknown question"):
        rules.save_response(attempt, other.live_questions[0].id, 0, NOW)
    with pytest.raises(rules.AttemptError, match="Unknown question"):
        rules.save_response(attempt, "abc", 0, NOW)


def test_saving_again_replaces_the_answer_and_normalises_it(course, learner):
    quiz = make_quiz(course, course.modules[0])
    attempt = rules.start_attempt(learner, quiz, NOW)
    rows = rows_by_name(quiz)
    rules.save_response(attempt, rows["Sensors"].id, ["1", 0, 1], NOW)
    response = rules.save_response(attempt, rows["Sensors"].id, [1, "0"], NOW + timedelta(seconds=5))
    assert response.answer == [0, 1] and response.saved_at == NOW + timedelta(seconds=5)
    rules.save_response(attempt, rows["Match"].id, {0: "1", "1": 0, "2": ""}, NOW)
    assert db.session.scalar(select(func.count(Response.id))) == 2
    match = db.session.scalar(select(Response).where(Response.question_id == rows["Match"].id))
    assert match.answer == {"0": 1, "1": 0}
    assert rules.save_response(attempt, rows["Capital"].id, None, NOW).answer is None


def test_best_or_last_attempt_counts(course, learner):
    quiz = make_quiz(course, course.modules[0], grade="best")
    assert policy.counted_score(learner, quiz) is None
    take(learner, quiz, NOW, wrong=())
    take(learner, quiz, NOW, wrong=("Capital", "PLC", "Protocol"))
    assert policy.counted_score(learner, quiz) == pytest.approx(1.0)
    quiz.grade_method = "last"
    assert policy.counted_score(learner, quiz) == pytest.approx(0.5)


def test_feedback_visibility(course, learner):
    quiz = make_quiz(course, course.modules[0], attempts=2)
    attempt = rules.start_attempt(learner, quiz, NOW)
    assert not policy.feedback_visible(quiz, attempt, 1)  # in progress: never
    rules.submit_attempt(attempt, NOW)
    assert policy.feedback_visible(quiz, attempt, 1)  # "immediately"
    quiz.show_feedback = "never"
    assert not policy.feedback_visible(quiz, attempt, 2, passed=True)
    quiz.show_feedback = "after_last_attempt"
    assert not policy.feedback_visible(quiz, attempt, 1)
    assert policy.feedback_visible(quiz, attempt, 2)
    quiz.attempts_allowed = 0  # unlimited: after a passing attempt
    assert not policy.feedback_visible(quiz, attempt, 5, passed=False)
    assert policy.feedback_visible(quiz, attempt, 5, passed=True)


def test_settings_in_words(app, course):
    quiz = make_quiz(course, course.modules[0], attempts=3, time_limit=20, pass_mark=70)
    assert policy.settings_sentence(quiz, 6) == "6 questions · 3 attempts · 20 minutes · pass mark 70%"
    quiz.attempts_allowed, quiz.time_limit_minutes = 0, 0
    assert policy.settings_sentence(quiz, 1) == "1 question · unlimited attempts · no time limit · pass mark 70%"


def test_a_save_relies_on_the_lock_of_its_own_transaction_only(app, course, learner):
    """read_locked's row lock spares save_response a second read in the same transaction; after a commit (the
    lock is gone) the save reads the attempt afresh, and sees a submission made meanwhile."""
    from sqlalchemy import event, update

    quiz = make_quiz(course, course.modules[0])
    attempt_id = rules.start_attempt(learner, quiz, NOW).id
    db.session.commit()
    row = rows_by_name(quiz)["Capital"]
    reads = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT") and "FROM quiz_attempts" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        attempt = rules.read_locked(attempt_id)
        rules.save_response(attempt, row.id, 0, NOW)
        assert len(reads) == 1
        db.session.commit()
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(state="submitted"))
        db.session.commit()
        with pytest.raises(rules.AttemptError) as raised:  # attempt.state is stale in memory: read again
            rules.save_response(attempt, row.id, 1, NOW)
        assert raised.value.code == "closed" and len(reads) > 1
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_an_autosave_reads_its_question_with_the_locked_attempt(app, course, learner):
    """read_locked(attempt, question) reads both in one statement; save_response then reads neither again. A
    question of another quiz read that way is still refused: it is not one of the attempt's."""
    from sqlalchemy import event

    quiz = make_quiz(course, course.modules[0])
    other = make_quiz(course, course.modules[1])
    attempt_id = rules.start_attempt(learner, quiz, NOW).id
    db.session.commit()
    row_id, stranger_id = rows_by_name(quiz)["Capital"].id, rows_by_name(other)["Capital"].id
    db.session.expunge_all()  # as in a new request: nothing in the session yet
    reads = []

    def record(conn, cursor, statement, *args):
        reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        attempt = rules.read_locked(attempt_id, row_id)
        response = rules.save_response(attempt, row_id, 0, NOW)
        assert response.answer == 0 and len(reads) == 2  # the joined read, the upsert
        assert "quiz_questions" in reads[0] and "quiz_attempts" in reads[0]
        db.session.rollback()
        attempt = rules.read_locked(attempt_id, stranger_id)
        with pytest.raises(rules.AttemptError):
            rules.save_response(attempt, stranger_id, 0, NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
