"""Many learners starting the same quiz at once, double starts and double submits, on SQLite and PostgreSQL.

Each thread has its own app context, hence its own database session and connection, like a web worker.
"""
import threading

import pytest
from sqlalchemy import func, select

from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.quizzes import attempts as rules
from lms.quizzes.models import Attempt, Quiz, Response
from tests.quizzes.learner_factories import enrol, make_course, make_quiz, right_answer, rows_by_name
from tests.support import NOW

LEARNERS = 12


def run_together(app, count, work):
    """Run work(index) in ``count`` threads released at the same moment; [(result or exception)]."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[index] = work(index)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001  (reported to the test)
                db.session.rollback()
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def setup(db_app):
    course = make_course()
    quiz_id = make_quiz(course, course.modules[0]).id
    users = []
    for n in range(LEARNERS):
        user = accounts.create_user(f"learner{n:02d}@example.com", f"Learner {n}", roles=("learner",),
                                    password="correct-horse-battery")
        db.session.commit()
        enrol(user, course)
        users.append(user.id)
    db.session.remove()
    return db_app, quiz_id, users


def test_many_learners_start_the_same_quiz_at_once(setup):
    app, quiz_id, users = setup

    def work(index):
        user, quiz = db.session.get(User, users[index]), db.session.get(Quiz, quiz_id)
        attempt = rules.start_attempt(user, quiz, NOW)
        row = rows_by_name(quiz)["Capital"]
        rules.save_response(attempt, row.id, right_answer(row), NOW)
        return attempt.id

    results = run_together(app, LEARNERS, work)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == LEARNERS
    assert db.session.scalar(select(func.count(Attempt.id))) == LEARNERS
    assert db.session.scalar(select(func.count(Response.id))) == LEARNERS
    assert set(db.session.scalars(select(Attempt.number))) == {1}


def test_the_same_learner_starting_twice_at_once_gets_one_attempt(setup):
    app, quiz_id, users = setup

    def work(_index):
        return rules.start_attempt(db.session.get(User, users[0]), db.session.get(Quiz, quiz_id), NOW).id

    results = run_together(app, 4, work)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_a_double_submit_at_once_submits_once(setup):
    app, quiz_id, users = setup
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        attempt = rules.start_attempt(db.session.get(User, users[0]), quiz, NOW)
        for row in quiz.live_questions:
            rules.save_response(attempt, row.id, right_answer(row), NOW)
        db.session.commit()
        attempt_id = attempt.id
        db.session.remove()

    def work(_index):
        return rules.submit_attempt(db.session.get(Attempt, attempt_id), NOW)

    results = run_together(app, 4, work)
    assert sorted(results, key=str) == [False, False, False, True], results
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == "submitted" and attempt.score == pytest.approx(1.0)
