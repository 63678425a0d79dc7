"""The quiz pages' templates are compiled when an app that serves is built (lms/warmup.py), and still render."""
import re

from lms.extensions import db
from lms.quizzes.models import Attempt
from lms.warmup import QUIZ_PAGES
from tests.conftest import PASSWORD
from tests.quizzes.learner_factories import enrol, make_course, make_quiz, right_answer, rows_by_name


def compiled(app) -> set[str]:
    return {name for _loader, name in app.jinja_env.cache.keys()}


def test_an_app_that_serves_has_the_quiz_pages_compiled_before_its_first_request(app_factory):
    from lms.auth import accounts

    app = app_factory(TESTING=False)
    assert set(QUIZ_PAGES) <= compiled(app)
    with app.app_context():  # the pages render from what was compiled ahead (every filter was there)
        course = make_course()
        quiz = make_quiz(course, course.modules[0])
        user = accounts.create_user("warm@example.com", "Warm", roles=("learner",), password=PASSWORD)
        db.session.commit()
        enrol(user, course)
        client = app.test_client()
        client.post("/login", data={"email": "warm@example.com", "password": PASSWORD})
        assert client.get(f"/courses/{course.slug}/m1/quiz").status_code == 200
        started = client.post(f"/courses/{course.slug}/m1/quiz/start")
        attempt_id = int(re.search(r"/quiz/attempts/(\d+)$", started.headers["Location"]).group(1))
        page = client.get(started.headers["Location"])
        assert page.status_code == 200 and 'data-qtype="multichoice"' in page.get_data(as_text=True)
        capital = rows_by_name(quiz)["Capital"]
        saved = client.post(f"/quiz/attempts/{attempt_id}/answers",
                            json={"question_id": capital.id, "answer": right_answer(capital)})
        assert saved.status_code == 200
        result = client.post(f"/quiz/attempts/{attempt_id}/submit", data={"confirmed": "1"}, follow_redirects=True)
        assert result.status_code == 200 and db.session.get(Attempt, attempt_id).state == "submitted"


def test_a_test_app_compiles_nothing_ahead(app):
    """Tests build an app each: they share compiled templates through tests/speedups.py instead."""
    assert "quizzes/take.html" not in compiled(app)
