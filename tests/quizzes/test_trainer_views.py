"""The trainer's quiz pages: access, question forms, settings, GIFT import/export, preview, statistics, essays."""
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.quizzes import gift, store
from lms.quizzes.models import Attempt, Quiz, QuizQuestion, Response
from tests.courses.reading_factories import make_course
from tests.quizzes.trainer_factories import NOW, SAMPLE_GIFT, attempt

MOODLE_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gift" / "moodle_examples.gift.txt"
needs_examples = pytest.mark.skipif(not MOODLE_EXAMPLES.exists(), reason="Moodle's GIFT examples are missing")
TRAINER = "tina@example.com"


@pytest.fixture
def course(app, create_user):
    create_user(TRAINER, "Tina Trainer", roles=("trainer",))
    return make_course(trainers=[TRAINER], modules=2)


@pytest.fixture
def quiz(course):
    quiz = store.get_or_create_quiz(course, course.modules[0])
    store.replace_questions(quiz, gift.parse(SAMPLE_GIFT), NOW, from_browser=False)
    db.session.commit()
    return quiz


@pytest.fixture
def trainer_client(client, login, course):
    assert login(TRAINER).status_code == 302
    return client


def url(quiz, page=""):
    return f"/authoring/quizzes/{quiz.course.slug}/{quiz.id}/{page}"


def live(quiz):
    db.session.expire_all()
    return db.session.scalars(select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id,
                                                         QuizQuestion.archived_at.is_(None))
                              .order_by(QuizQuestion.position)).all()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# Access ------------------------------------------------------------------------------------------------------

def test_pages_need_a_trainer_of_the_course(client, login, create_user, quiz):
    create_user("lea@example.com", "Lea Learner")
    create_user("otto@example.com", "Otto Other", roles=("trainer",))
    make_course(slug="other-course", title="Other", trainers=["otto@example.com"], modules=1)
    make_course(slug="secret-draft", title="Draft", trainers=[TRAINER], modules=1, published=False)
    pages = ["", "settings", "questions/new/multichoice", f"questions/{quiz.live_questions[0].id}/edit",
             "preview", "stats", "import", "export.gift"]
    assert client.get(url(quiz)).status_code == 302  # anonymous: to the sign-in page
    login("lea@example.com")
    assert {client.get(url(quiz, p)).status_code for p in pages} == {403}
    client.post("/logout")
    login("otto@example.com")
    assert {client.get(url(quiz, p)).status_code for p in pages} == {403}
    assert client.get("/authoring/quizzes/secret-draft/").status_code == 404
    assert client.post(url(quiz, f"questions/{quiz.live_questions[0].id}/archive")).status_code == 403
    assert client.get("/authoring/quizzes/other-course/").status_code == 200
    # A quiz of another course under a course Otto authors: not found.
    assert client.get(f"/authoring/quizzes/other-course/{quiz.id}/").status_code == 404
    assert len(live(quiz)) == 7


def test_course_page_lists_quizzes_and_creates_a_missing_one(trainer_client, quiz, course):
    page = trainer_client.get(f"/authoring/quizzes/{course.slug}/").get_data(as_text=True)
    assert quiz.title in page and "Create the quiz" in page
    response = trainer_client.post(f"/authoring/quizzes/{course.slug}/create", data={"module": "m2"})
    created = store.get_quiz(course, course.modules[1])
    assert response.status_code == 302 and response.location.endswith(f"/{created.id}/")
    final = trainer_client.post(f"/authoring/quizzes/{course.slug}/create", data={"module": "final"})
    assert final.status_code == 302 and store.get_quiz(course) is not None
    assert trainer_client.post(f"/authoring/quizzes/{course.slug}/create", data={"module": "nope"}).status_code == 404


def test_quiz_page_shows_questions_with_right_answers_marked(trainer_client, quiz):
    page = trainer_client.get(url(quiz)).get_data(as_text=True)
    for name in ("Capital", "Sensors", "PLC", "Poet", "Pi", "Protocols", "Retrofit"):
        assert name in page
    assert re.search(r"Rome.*?Right · 100%", page, re.S)
    assert "3.14 ± 0.005" in page


# Question forms ----------------------------------------------------------------------------------------------

def test_new_multichoice_through_the_form(trainer_client, quiz):
    form = {"action": "save", "name": "Cobots", "text": "What is a **cobot**?", "text_format": "markdown",
            "single": "one", "answers-0-text": "A robot that works next to people", "answers-0-weight": "100",
            "answers-0-feedback": "Yes.", "answers-1-text": "A cheap robot", "answers-1-weight": "0",
            "answers-2-text": "", "answers-2-weight": "0"}
    response = trainer_client.post(url(quiz, "questions/new/multichoice"), data=form)
    assert response.status_code == 302
    rows = live(quiz)
    assert rows[-1].name == "Cobots" and rows[-1].position == 8
    question = store.question_of(rows[-1])
    assert [(a.text, a.fraction, a.text_format) for a in question.answers] == [
        ("A robot that works next to people", 1.0, "markdown"), ("A cheap robot", 0.0, "markdown")]
    assert db.session.get(Quiz, quiz.id).edited_in_browser_at is not None


def test_bad_question_keeps_what_was_typed_and_saves_nothing(trainer_client, quiz):
    form = {"action": "save", "name": "Half", "text": "Unfinished <question>", "text_format": "markdown",
            "single": "one", "answers-0-text": "Only answer", "answers-0-weight": "fifty",
            "answers-1-text": "Second", "answers-1-weight": "50"}
    response = trainer_client.post(url(quiz, "questions/new/multichoice"), data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“fifty” is not a number." in page and 'id="answers-0-weight-error"' in page
    assert "Unfinished &lt;question&gt;" in page and 'value="fifty"' in page
    assert len(live(quiz)) == 7
    # Fixed weight, but no 100% answer: the question-wide problem is listed, still nothing saved.
    form["answers-0-weight"] = "40"
    page = trainer_client.post(url(quiz, "questions/new/multichoice"), data=form).get_data(as_text=True)
    assert "one answer must be worth 100% (the best is worth 50%)" in page
    assert len(live(quiz)) == 7


def test_more_rows_without_javascript(trainer_client, quiz):
    page = trainer_client.get(url(quiz, "questions/new/shortanswer")).get_data(as_text=True)
    assert 'name="answers-5-text"' in page and 'name="answers-6-text"' not in page
    form = {"action": "add_rows", "text": "Kept text", "text_format": "plain", "answers-0-text": "kept answer"}
    for i in range(1, 6):
        form[f"answers-{i}-text"] = ""
    response = trainer_client.post(url(quiz, "questions/new/shortanswer"), data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="answers-8-text"' in page and "kept answer" in page and "Kept text" in page
    assert 'selected value="plain"' in page
    assert len(live(quiz)) == 7


@pytest.mark.parametrize("kind", ["multichoice", "truefalse", "shortanswer", "numerical", "match", "missingword",
                                  "missingword-text", "missingword-number", "essay", "description"])
def test_every_kind_of_form_shows(trainer_client, quiz, kind):
    response = trainer_client.get(url(quiz, f"questions/new/{kind}"))
    assert response.status_code == 200
    assert 'selected value="markdown"' in response.get_data(as_text=True)


def test_editing_an_imported_question_keeps_its_format(trainer_client, quiz):
    (row,) = [r for r in live(quiz) if r.name == "Capital"]
    page = trainer_client.get(url(quiz, f"questions/{row.id}/edit")).get_data(as_text=True)
    assert 'selected value="moodle"' in page and "Rome" in page
    form = {"action": "save", "name": "Capital", "text": "The capital of Italy, today?", "text_format": "moodle",
            "single": "one", "answers-0-text": "Rome", "answers-0-weight": "100", "answers-0-feedback": "Yes.",
            "answers-1-text": "Milan", "answers-1-weight": "0", "answers-1-feedback": "No.",
            "answers-2-text": "Turin", "answers-2-weight": "0"}
    assert trainer_client.post(url(quiz, f"questions/{row.id}/edit"), data=form).status_code == 302
    edited = store.question_of(next(r for r in live(quiz) if r.name == "Capital"))
    assert edited.text == "The capital of Italy, today?" and edited.text_format == "moodle"
    assert [a.text_format for a in edited.answers] == ["moodle"] * 3
    # Saving it again unchanged changes nothing.
    before = {r.id: r.content_hash for r in live(quiz)}
    response = trainer_client.post(url(quiz, f"questions/{row.id}/edit"), data=form, follow_redirects=True)
    assert "Nothing to save" in response.get_data(as_text=True)
    assert {r.id: r.content_hash for r in live(quiz)} == before


def test_archive_and_move(trainer_client, quiz):
    first, second = live(quiz)[:2]
    assert trainer_client.post(url(quiz, f"questions/{second.id}/move"), data={"step": "-1"}).status_code == 302
    assert [r.name for r in live(quiz)][:2] == ["Sensors", "Capital"]
    assert trainer_client.post(url(quiz, f"questions/{first.id}/archive")).status_code == 302
    assert "Capital" not in [r.name for r in live(quiz)]
    assert db.session.get(QuizQuestion, first.id).archived_at is not None
    # An archived question is history: it cannot be edited any more.
    assert trainer_client.get(url(quiz, f"questions/{first.id}/edit")).status_code == 404


def test_settings_form(trainer_client, quiz):
    page = trainer_client.get(url(quiz, "settings")).get_data(as_text=True)
    assert 'name="pass_mark"' in page and 'value="70"' in page
    data = {"pass_mark": "80", "attempts": "3", "time_limit": "15", "shuffle_questions": "y",
            "show_feedback": "after_last_attempt", "grade": "last"}
    assert trainer_client.post(url(quiz, "settings"), data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Quiz, quiz.id)
    assert store.settings_of(saved) == {"pass_mark": 80, "attempts": 3, "time_limit": 15, "shuffle_questions": True,
                                        "shuffle_answers": False, "show_feedback": "after_last_attempt",
                                        "grade": "last"}
    bad = trainer_client.post(url(quiz, "settings"), data={**data, "pass_mark": "150"})
    assert bad.status_code == 422 and 'value="150"' in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Quiz, quiz.id).pass_mark == 80


# GIFT import and export --------------------------------------------------------------------------------------

def upload(client, quiz, text, name="questions.gift"):
    data = {"file": (io.BytesIO(text.encode()), name), "text": ""}
    return client.post(url(quiz, "import"), data=data, content_type="multipart/form-data")


def import_text(client, quiz, text, mode="replace", **kwargs):
    """Paste `text`, follow the redirect to its preview and confirm with the upload's id, as the page does."""
    checked = client.post(url(quiz, "import"), data={"text": text})
    assert checked.status_code == 302, checked.get_data(as_text=True)
    upload_id = checked.location.rsplit("/", 1)[1]
    return client.post(url(quiz, "import/confirm"), data={"upload_id": upload_id, "mode": mode}, **kwargs)


@needs_examples
def test_importing_moodles_examples_gives_every_question_as_moodle_types_it(trainer_client, course):
    text = MOODLE_EXAMPLES.read_text(encoding="utf-8")
    expected = gift.parse(text)
    quiz = store.get_or_create_quiz(course, course.modules[1])
    db.session.commit()
    checked = upload(trainer_client, quiz, text, "moodle_examples.gift.txt")
    assert checked.status_code == 302  # the preview has an address of its own: a reload shows it again
    preview = trainer_client.get(checked.location)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and trainer_client.get(checked.location).status_code == 200
    assert re.findall(r'data-qtype="(\w+)"', page) == [q.qtype for q in expected]
    assert f"{len(expected)} questions found" in page
    assert count(QuizQuestion) == 0  # nothing saved before the trainer confirms
    upload_id = re.search(r'name="upload_id" type="hidden" value="([^"]+)"', page).group(1)
    response = trainer_client.post(url(quiz, "import/confirm"), data={"upload_id": upload_id, "mode": "replace"})
    assert response.status_code == 302
    rows = live(quiz)
    assert [r.qtype for r in rows] == [q.qtype for q in expected]
    assert [store.question_of(r) for r in rows] == expected
    page = trainer_client.get(url(quiz)).get_data(as_text=True)
    assert page.count('class="card mb-3" id="q-') == len(expected)
    assert "Missing word (multiple choice)" in page and "Matching" in page and "Numerical" in page


def test_a_syntax_error_shows_its_line_and_saves_nothing(trainer_client, quiz):
    before = [r.content_hash for r in live(quiz)]
    text = "::Good::Fine?{=yes ~no}\n\n// a comment\n::Bad::Broken?{=yes ~no\n"
    response = upload(trainer_client, quiz, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"line 4: ", page), page
    assert "Broken?{=yes ~no" in page  # the text is kept in the box, to be fixed there
    # Broken text is never kept, and a forged confirmation names no upload of this trainer: nothing saved.
    for forged in ("x" * 22, "../../secret_key", ""):
        response = trainer_client.post(url(quiz, "import/confirm"), data={"upload_id": forged, "mode": "replace"})
        assert response.status_code in (302, 400)
    assert [r.content_hash for r in live(quiz)] == before


def test_the_preview_is_the_trainers_own_and_imports_once(app, trainer_client, quiz, create_user):
    checked = trainer_client.post(url(quiz, "import"), data={"text": "::New::Is it new?{T}"})
    upload_id = checked.location.rsplit("/", 1)[1]
    other = app.test_client()
    create_user("other.trainer@example.com", "Other Trainer", roles=("trainer",))
    other.post("/login", data={"email": "other.trainer@example.com", "password": "correct-horse-battery"})
    assert "1 question found" not in other.get(checked.location).get_data(as_text=True)
    first = trainer_client.post(url(quiz, "import/confirm"), data={"upload_id": upload_id, "mode": "append"})
    again = trainer_client.post(url(quiz, "import/confirm"), data={"upload_id": upload_id, "mode": "append"},
                                follow_redirects=True)
    assert first.status_code == 302 and "no longer available" in again.get_data(as_text=True)
    assert [r.name for r in live(quiz)].count("New") == 1


def test_paste_append_and_empty_text(trainer_client, quiz):
    empty = trainer_client.post(url(quiz, "import"), data={"text": "// only a comment\n"})
    assert empty.status_code == 422 and "No questions found" in empty.get_data(as_text=True)
    pasted = trainer_client.post(url(quiz, "import"), data={"text": "::New::Is it new?{T}"}, follow_redirects=True)
    assert pasted.status_code == 200 and "1 question found" in pasted.get_data(as_text=True)
    import_text(trainer_client, quiz, "::New::Is it new?{T}", mode="append")
    assert [r.name for r in live(quiz)][-2:] == ["Retrofit", "New"]
    assert len(live(quiz)) == 8


def test_replace_keeps_unchanged_questions(trainer_client, quiz):
    kept = {r.name: r.id for r in live(quiz)}
    text = SAMPLE_GIFT.replace("::Poet::Who wrote the Divine Comedy?", "::Poet::Who wrote the Commedia?")
    response = import_text(trainer_client, quiz, text, follow_redirects=True)
    assert "Questions added: 1; unchanged: 6; removed: 1." in response.get_data(as_text=True)
    now = {r.name: r.id for r in live(quiz)}
    assert now["Capital"] == kept["Capital"] and now["Poet"] != kept["Poet"]


@needs_examples
def test_export_then_import_gives_equal_questions(trainer_client, course):
    source = store.get_or_create_quiz(course, course.modules[0])
    store.replace_questions(source, gift.parse(MOODLE_EXAMPLES.read_text(encoding="utf-8")), NOW)
    target = store.get_or_create_quiz(course, course.modules[1])
    db.session.commit()
    exported = trainer_client.get(url(source, "export.gift"))
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == 'attachment; filename="01-m1.gift"'
    text = exported.get_data(as_text=True)
    assert upload(trainer_client, target, text, "01-m1.gift").status_code == 302
    import_text(trainer_client, target, text)
    assert [store.question_of(r) for r in live(target)] == [store.question_of(r) for r in live(source)]
    whole = trainer_client.get(f"/authoring/quizzes/{course.slug}/export.gift")
    assert whole.status_code == 200
    assert f"$CATEGORY: {course.slug}/m1" in whole.get_data(as_text=True)
    assert f"$CATEGORY: {course.slug}/m2" in whole.get_data(as_text=True)


# Preview, statistics, essays ---------------------------------------------------------------------------------

def test_preview_grades_without_saving(trainer_client, quiz):
    rows = {r.name: r for r in live(quiz)}
    page = trainer_client.get(url(quiz, "preview")).get_data(as_text=True)
    assert "Rome" in page and "Check answers" in page
    assert "Yes." not in page  # no feedback, no right answer before checking
    seed = re.search(r'name="seed" value="(\d+)"', page).group(1)
    protocols = rows["Protocols"].id
    answers = {"seed": seed, f"q{rows['Capital'].id}": "0", f"q{rows['PLC'].id}": "false",
               f"q{rows['Poet'].id}": "alighieri", f"q{rows['Pi'].id}": "3,14",
               f"q{protocols}_s0": "0", f"q{protocols}_s1": "2", f"q{rows['Sensors'].id}": "7"}  # 7: no such choice
    response = trainer_client.post(url(quiz, "preview"), data=answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Yes." in page and "No, it is one." in page and "Partly right: 50%" in page
    # Capital 1 + PLC 0 + Poet 0.5 + Pi 1 + Protocols 1, over the 7 gradable questions (the essay counts, as 0).
    assert "Score: 50%" in page and "not passed" in page
    assert re.findall(r'data-outcome="(\w+)"', page) == ["multichoice", "multichoice", "truefalse", "shortanswer",
                                                         "numerical", "match", "essay"]
    # The page shows what was answered, as the learner's page does.
    assert re.search(rf'id="q{rows["Capital"].id}-0" value="0"\s*checked', page)
    assert 'value="alighieri"' in page
    # The same seed gives the same order of choices.
    again = trainer_client.post(url(quiz, "preview"), data={"seed": seed}).get_data(as_text=True)
    assert re.findall(r'id="q\d+-\d+"', again) == re.findall(r'id="q\d+-\d+"', page)
    assert count(Attempt) == 0 and count(Response) == 0


def test_statistics_page(trainer_client, quiz, create_user):
    learner = create_user("lea@example.com", "Lea Learner")
    attempt(db.session.get(Quiz, quiz.id), learner, {"Capital": 0, "PLC": True})
    page = trainer_client.get(url(quiz, "stats")).get_data(as_text=True)
    assert "How often each answer was chosen" in page
    assert 'data-width="100"' in page and "style=" not in page.split("<main")[1]


def test_essay_grading_updates_the_attempt(trainer_client, quiz, create_user):
    learner = create_user("lea@example.com", "Lea Learner")
    done = attempt(db.session.get(Quiz, quiz.id), learner, {"Capital": 0, "PLC": True, "Poet": "Dante",
                                                            "Pi": "3.14", "Sensors": [0, 1],
                                                            "Protocols": {"0": 0, "1": 2},
                                                            "Retrofit": "<b>Sensors</b> on the old press."})
    assert done.needs_grading and done.score == pytest.approx(6 / 7)
    essay = next(r for r in done.responses if r.needs_manual)
    queue = trainer_client.get("/authoring/quizzes/essays").get_data(as_text=True)
    assert "&lt;b&gt;Sensors&lt;/b&gt; on the old press." in queue and "Lea Learner" in queue
    bad = trainer_client.post(f"/authoring/quizzes/essays/{essay.id}/grade",
                              data={f"r{essay.id}-percent": "120", f"r{essay.id}-comment": "Good"})
    assert bad.status_code == 422 and "between 0 and 100" in bad.get_data(as_text=True)
    ok = trainer_client.post(f"/authoring/quizzes/essays/{essay.id}/grade",
                             data={f"r{essay.id}-percent": "50", f"r{essay.id}-comment": "Name the sensors."})
    assert ok.status_code == 302
    db.session.expire_all()
    essay = db.session.get(Response, essay.id)
    graded = db.session.get(Attempt, done.id)
    assert essay.fraction == 0.5 and essay.graded_at is not None and essay.grader_comment == "Name the sensors."
    assert graded.score == pytest.approx(6.5 / 7) and not graded.needs_grading
    assert "No essay waits" in trainer_client.get("/authoring/quizzes/essays").get_data(as_text=True)
    again = trainer_client.post(f"/authoring/quizzes/essays/{essay.id}/grade", data={f"r{essay.id}-percent": "0"},
                                follow_redirects=True)
    assert "graded already" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, essay.id).fraction == 0.5


def test_other_trainers_cannot_grade(client, login, create_user, quiz):
    learner = create_user("lea@example.com", "Lea Learner")
    done = attempt(db.session.get(Quiz, quiz.id), learner, {"Retrofit": "My essay."})
    essay = done.responses[0]
    create_user("otto@example.com", "Otto Other", roles=("trainer",))
    login("otto@example.com")
    assert "My essay." not in client.get("/authoring/quizzes/essays").get_data(as_text=True)
    response = client.post(f"/authoring/quizzes/essays/{essay.id}/grade", data={f"r{essay.id}-percent": "100"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Response, essay.id).graded_at is None
