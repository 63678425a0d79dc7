"""The learner's quiz pages over HTTP: intro, start, take, autosave, submit, result, access."""
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.ops import logs
from lms.quizzes.models import Attempt, Response
from tests.conftest import PASSWORD
from tests.quizzes.learner_factories import enrol, make_course, make_quiz, right_answer, rows_by_name

SECRET_GIFT = """::Short::Which codename did the team choose?{=Zephyrweave#FB-SHORT-RIGHT =Zephyr*#FB-SHORT-WILD}

::Number::The reference value?{#1822.5:0.25#FB-NUMBER}

::Choice::Pick the option.{=Alpha option#FB-CHOICE-RIGHT ~Beta option#FB-CHOICE-WRONG ~%50%Gamma option#FB-HALF
####GENERAL-SECRET-FEEDBACK}

::TF::The statement holds.{T#FB-TF-WRONG#FB-TF-RIGHT}

::Blank::The sky is {=blue#FB-BLANK ~green ~red} today.

::Match::Match them.{=Left one -> right-A =Left two -> right-B = -> right-C}
"""
SECRETS = ["Zephyrweave", "Zephyr*", "1822.5", "FB-", "GENERAL-SECRET", "fraction", "feedback", "0.25",
           "correct", "match_text", "tolerance"]


@pytest.fixture
def course(app):
    return make_course()


@pytest.fixture
def learner(course, create_user, login):
    user = create_user()
    enrol(user, course)
    login()
    return user


def start(client, course, module="m1"):
    response = client.post(f"/courses/{course.slug}/{module}/quiz/start")
    assert response.status_code == 302, response.data
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Attempt, attempt_id)


def autosave(client, attempt, question_id, answer):
    return client.post(f"/quiz/attempts/{attempt.id}/answers", json={"question_id": question_id, "answer": answer})


def test_a_hidden_course_or_module_hides_its_quiz_and_an_author_still_sees_it(client, course, learner, create_user):
    # The quiz, its module and its course are read in one statement: each check still applies to its own row.
    make_quiz(course, course.modules[0])
    make_quiz(course)
    pages = [f"/courses/{course.slug}/m1/quiz", f"/courses/{course.slug}/final-quiz"]
    assert [client.get(page).status_code for page in pages] == [200, 200]
    assert client.get(f"/courses/{course.slug}/m9/quiz").status_code == 404  # no such module
    assert client.get(f"/courses/{course.slug}/m2/quiz").status_code == 404  # a module without a quiz
    assert client.get("/courses/no-such-course/final-quiz").status_code == 404

    course.modules[0].is_published = False
    db.session.commit()
    assert [client.get(page).status_code for page in pages] == [404, 200]
    assert client.post(pages[0] + "/start").status_code == 404
    course.modules[0].is_published, course.modules[0].archived_at = True, utcnow()
    db.session.commit()
    assert client.get(pages[0]).status_code == 404
    course.modules[0].archived_at, course.is_published = None, False
    db.session.commit()
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert client.post(pages[1] + "/start").status_code == 404

    create_user(email="trainer@example.com", name="Tina Trainer", roles=("trainer",))
    client.post("/logout")
    client.post("/login", data={"email": "trainer@example.com", "password": PASSWORD})
    assert [client.get(page).status_code for page in pages] == [200, 200]  # the draft's author previews it


def test_the_intro_page_says_the_settings_in_words(client, course, learner):
    make_quiz(course, course.modules[0], attempts=3, time_limit=20, pass_mark=70)
    page = client.get(f"/courses/{course.slug}/m1/quiz").get_data(as_text=True)
    assert "6 questions · 3 attempts · 20 minutes · pass mark 70%" in page
    assert "Start the quiz" in page and "No attempts yet" in page


def test_a_course_without_a_quiz_gives_404(client, course, learner):
    assert client.get(f"/courses/{course.slug}/m1/quiz").status_code == 404
    assert client.get(f"/courses/{course.slug}/final-quiz").status_code == 404


def test_not_enrolled_learners_see_an_enrol_button_and_cannot_start(client, course, create_user, login):
    make_quiz(course, course.modules[0], attempts=2)
    visitor = create_user("visitor@example.com")
    login("visitor@example.com")
    page = client.get(f"/courses/{course.slug}/m1/quiz").get_data(as_text=True)
    assert "Enrol in this course" in page and f"/courses/{course.slug}/enrol" in page
    assert "attempts left" not in page  # the count is for enrolled learners
    response = client.post(f"/courses/{course.slug}/m1/quiz/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/m1/quiz")
    assert db.session.scalar(select(Attempt)) is None
    enrol(visitor, course)
    assert "2 attempts left" in client.get(f"/courses/{course.slug}/m1/quiz").get_data(as_text=True)


def test_the_take_page_reveals_no_answer(client, course, learner):
    make_quiz(course, course.modules[0], text=SECRET_GIFT, shuffle_answers=True)
    attempt = start(client, course)
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Which codename did the team choose?" in html and "Alpha option" in html
    for secret in SECRETS:
        assert secret not in html, secret
    # The missing word sits inline, with a select in the sentence.
    assert re.search(r"The sky is\s*<label[^>]*>[^<]*</label>\s*<select", html)
    # Autosave answers carry nothing either.
    row = rows_by_name(attempt.quiz)["Short"]
    saved = autosave(client, attempt, row.id, "Zephyrweave")
    assert saved.status_code == 200 and set(saved.get_json()) == {"saved_at", "question_id"}
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert 'value="Zephyrweave"' in html  # the learner's own answer comes back
    assert "FB-" not in html and "1822.5" not in html


def test_autosave_submit_and_result_with_feedback(client, course, learner):
    quiz = make_quiz(course, course.modules[0], attempts=2)
    attempt = start(client, course)
    rows = rows_by_name(quiz)
    for name in ("Capital", "PLC", "Protocol", "Pi", "Sensors"):
        assert autosave(client, attempt, rows[name].id, right_answer(rows[name])).status_code == 200
    # The last answer comes with the submit form (no JavaScript).
    match = rows["Match"]
    form = {"shown": [str(match.id)], "confirmed": "1",
            **{f"q{match.id}_s{k}": str(v) for k, v in right_answer(match).items()}}
    response = client.post(f"/quiz/attempts/{attempt.id}/submit", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/quiz/attempts/{attempt.id}/result")
    db.session.expire_all()
    assert attempt.state == "submitted" and attempt.score == pytest.approx(1.0) and attempt.passed
    html = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Your score: 100%" in html and "Passed" in html and "Yes, Rome." in html
    assert "the module is complete" in html and "Try again" in html and "1 attempt left" in html
    # A replayed submit changes nothing.
    client.post(f"/quiz/attempts/{attempt.id}/submit", data={"confirmed": "1"})
    assert db.session.scalars(select(Attempt)).all() == [attempt]


def test_submit_without_confirmation_asks_first(client, course, learner):
    quiz = make_quiz(course, course.modules[0])
    attempt = start(client, course)
    capital = rows_by_name(quiz)["Capital"]
    page = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"shown": [str(capital.id)],
                                                                    f"q{capital.id}": "0"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Submit your answers?" in html and "You answered 1 of 6 questions." in html
    db.session.expire_all()
    assert attempt.state == "in_progress"
    assert db.session.scalar(select(Response)).answer == 0  # the answer was saved meanwhile


def test_wrong_answers_show_the_right_ones_only_when_allowed(client, course, learner):
    quiz = make_quiz(course, course.modules[0], text=SECRET_GIFT, show_feedback="never")
    attempt = start(client, course)
    autosave(client, attempt, rows_by_name(quiz)["Short"].id, "Wrongname")
    client.post(f"/quiz/attempts/{attempt.id}/submit", data={"confirmed": "1"})
    html = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Wrongname" in html and "Zephyrweave" not in html and "FB-" not in html
    assert "does not show the right answers" in html

    quiz.show_feedback = "immediately"
    db.session.commit()
    html = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Zephyrweave" in html and "GENERAL-SECRET-FEEDBACK" in html and "Wrong" in html


def test_another_user_gets_404_everywhere(client, course, learner, create_user, login):
    make_quiz(course, course.modules[0])
    attempt = start(client, course)
    create_user("other@example.com")
    enrol(db.session.scalar(select(type(learner)).where(type(learner).email == "other@example.com")), course)
    client.post("/logout")
    login("other@example.com")
    question_id = attempt.layout["questions"][0]
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 404
    assert client.get(f"/quiz/attempts/{attempt.id}/result").status_code == 404
    assert autosave(client, attempt, question_id, 0).status_code == 404
    assert client.post(f"/quiz/attempts/{attempt.id}/submit", data={"confirmed": "1"}).status_code == 404
    db.session.expire_all()
    assert attempt.state == "in_progress" and db.session.scalar(select(Response)) is None


def test_an_autosave_checks_the_session_without_loading_the_person(app, client, course, learner):
    # The autosave's row lock checks the session's person, key and account (no user load): a session ended
    # elsewhere or a deactivated account saves nothing and is sent to sign in, as login_required does.
    quiz = make_quiz(course, course.modules[0])
    attempt = start(client, course)
    question_id = rows_by_name(quiz)["Protocol"].id  # a short answer: any text fits
    stream = io.StringIO()
    logs.configure("json", "INFO", stream=stream)
    try:
        assert autosave(client, attempt, question_id, "Hello").status_code == 200
    finally:
        logs.configure("text", "INFO")
    access = [json.loads(line) for line in stream.getvalue().splitlines() if '"lms.access"' in line][-1]
    assert (access["path"], access["user_id"]) == (f"/quiz/attempts/{attempt.id}/answers", learner.id)

    learner.end_all_sessions()  # "sign out everywhere", from another device
    db.session.commit()
    refused = autosave(client, attempt, question_id, "Changed")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    db.session.expire_all()
    assert [r.answer for r in db.session.scalars(select(Response))] == ["Hello"]

    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert autosave(client, attempt, question_id, "Again").status_code == 200
    learner.is_active = False
    db.session.commit()
    assert autosave(client, attempt, question_id, "Deactivated").status_code == 302
    db.session.expire_all()
    assert [r.answer for r in db.session.scalars(select(Response))] == ["Again"]


def test_signed_out_visitors_are_sent_to_sign_in(app, course):
    make_quiz(course, course.modules[0])
    client = app.test_client()
    assert client.get(f"/courses/{course.slug}/m1/quiz").status_code == 302
    assert client.get("/quiz/attempts/1").status_code == 302


@pytest.mark.parametrize("payload", [
    {"question_id": "Capital", "answer": "Rome"},  # resolved per test below
    {"question_id": "Capital", "answer": [0, 1]},
    {"question_id": "Match", "answer": {"0": 99}},
    {"question_id": "PLC", "answer": "maybe"},
    {"question_id": 999999, "answer": 0},
    {"question_id": 2**31, "answer": 0},  # no row can have it: not read with the attempt (PostgreSQL would refuse)
    {"answer": 0},
])
def test_tampered_autosave_is_a_400(client, course, learner, payload):
    quiz = make_quiz(course, course.modules[0])
    attempt = start(client, course)
    rows = rows_by_name(quiz)
    data = dict(payload)
    if data.get("question_id") in rows:
        data["question_id"] = rows[data["question_id"]].id
    response = client.post(f"/quiz/attempts/{attempt.id}/answers", json=data)
    assert response.status_code == 400 and "error" in response.get_json()
    assert db.session.scalar(select(Response)) is None


def test_a_tampered_form_post_is_a_400(client, course, learner):
    quiz = make_quiz(course, course.modules[0])
    attempt = start(client, course)
    capital = rows_by_name(quiz)["Capital"]
    response = client.post(f"/quiz/attempts/{attempt.id}/submit",
                           data={"shown": [str(capital.id)], f"q{capital.id}": "not-a-choice", "confirmed": "1"})
    assert response.status_code == 400
    db.session.expire_all()
    assert attempt.state == "in_progress"


def test_autosave_after_submission_is_a_409(client, course, learner):
    quiz = make_quiz(course, course.modules[0])
    attempt = start(client, course)
    client.post(f"/quiz/attempts/{attempt.id}/submit", data={"confirmed": "1"})
    response = autosave(client, attempt, rows_by_name(quiz)["Capital"].id, 0)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "closed"
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 302  # the take page sends to the result


def test_an_expired_attempt_is_submitted_when_the_learner_comes_back(client, course, learner):
    quiz = make_quiz(course, course.modules[0], time_limit=10)
    attempt = start(client, course)
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert 'id="quiz-timer"' in html and re.search(r'data-remaining="(59\d|600)"', html)
    autosave(client, attempt, rows_by_name(quiz)["Capital"].id, 0)
    attempt.deadline_at = utcnow() - timedelta(seconds=1)
    attempt.started_at = attempt.deadline_at - timedelta(minutes=10)
    db.session.scalar(select(Response)).saved_at = attempt.deadline_at - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/courses/{course.slug}/m1/quiz")
    assert response.status_code == 200
    db.session.expire_all()
    assert attempt.state == "submitted" and attempt.score == pytest.approx(1 / 6)
    assert "Review attempt 1" in response.get_data(as_text=True)


def test_long_quizzes_are_paginated_and_the_form_saves_a_page(client, course, learner):
    text = "\n\n".join(f"::Q{i}::Statement number {i}?{{T}}" for i in range(1, 13))
    quiz = make_quiz(course, course.modules[0], text=text)
    attempt = start(client, course)
    first = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Statement number 10?" in first and "Statement number 11?" not in first and "Page 1 of 2" in first
    second = client.get(f"/quiz/attempts/{attempt.id}?page=2").get_data(as_text=True)
    assert "Statement number 11?" in second and "Question 11" in second
    rows = quiz.live_questions
    response = client.post(f"/quiz/attempts/{attempt.id}/answers",
                           data={"shown": [str(rows[10].id), str(rows[11].id)], f"q{rows[10].id}": "true",
                                 "goto": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("page=1")
    saved = {r.question_id: r.answer for r in db.session.scalars(select(Response))}
    assert saved == {rows[10].id: True}
    # Only the page's questions are rendered; the counts still cover the other page.
    first = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "1 of 12 answered" in first and 'data-elsewhere="1"' in first and 'data-total="12"' in first
    assert "Statement number 11?" not in first


def test_the_module_quiz_box_partial(client, course, learner, app):
    from flask import render_template_string

    make_quiz(course, course.modules[0], pass_mark=70)
    with app.test_request_context():
        from flask_login import login_user

        login_user(learner)
        html = render_template_string('{% include "quizzes/_module_quiz_box.html" %}', module=course.modules[0])
        empty = render_template_string('{% include "quizzes/_module_quiz_box.html" %}', module=course.modules[1])
        final = render_template_string('{% include "quizzes/_final_quiz_box.html" %}', course=course)
    assert "Take the quiz" in html and f"/courses/{course.slug}/m1/quiz" in html and "pass mark 70%" in html
    assert empty.strip() == "" and final.strip() == ""


def test_the_final_quiz_pages(client, course, learner):
    make_quiz(course, None, text="::F::Final statement?{T}\n")
    page = client.get(f"/courses/{course.slug}/final-quiz").get_data(as_text=True)
    assert "Digital basics — final quiz" in page
    response = client.post(f"/courses/{course.slug}/final-quiz/start")
    attempt = db.session.scalar(select(Attempt))
    assert response.headers["Location"].endswith(f"/quiz/attempts/{attempt.id}")
    question_id = attempt.layout["questions"][0]
    client.post(f"/quiz/attempts/{attempt.id}/submit",
                data={"shown": [str(question_id)], f"q{question_id}": "true", "confirmed": "1"})
    html = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "You passed the final quiz." in html


def test_csrf_is_required_for_autosave(app_factory, create_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        course = make_course()
        make_quiz(course, course.modules[0])
        from lms.auth import accounts

        user = accounts.create_user("csrf@example.com", "Csrf", roles=("learner",), password=PASSWORD)
        db.session.commit()
        enrol(user, course)
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"email": "csrf@example.com", "password": PASSWORD, "csrf_token": token})
        page = client.get(f"/courses/{course.slug}/m1/quiz").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        start = client.post(f"/courses/{course.slug}/m1/quiz/start", data={"csrf_token": token})
        attempt = db.session.scalar(select(Attempt))
        assert start.status_code == 302 and attempt is not None
        question_id = attempt.layout["questions"][0]
        url = f"/quiz/attempts/{attempt.id}/answers"
        assert client.post(url, json={"question_id": question_id, "answer": 0}).status_code == 400
        ok = client.post(url, json={"question_id": question_id, "answer": 0}, headers={"X-CSRFToken": token})
        assert ok.status_code == 200
