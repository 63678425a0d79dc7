"""Per-question statistics (lms.quizzes.stats) over real submitted attempts."""
import pytest

from lms.extensions import db
from lms.quizzes import stats
from tests.courses.reading_factories import make_course
from tests.quizzes.trainer_factories import NOW, attempt, make_quiz


@pytest.fixture
def quiz(app):
    course = make_course(modules=1)
    return make_quiz(course, course.modules[0])


@pytest.fixture
def learners(create_user):
    return [create_user(f"l{n}@example.com", f"Learner {n}") for n in range(4)]


def by_name(quiz):
    return {s.name: s for s in stats.quiz_stats(quiz)}


def test_a_quiz_without_attempts_lists_its_questions_with_zeros(quiz):
    found = stats.quiz_stats(quiz)
    assert [s.name for s in found] == ["Capital", "Sensors", "PLC", "Poet", "Pi", "Protocols", "Retrofit"]
    capital = found[0]
    assert (capital.responses, capital.correct_share, capital.average) == (0, None, None)
    assert [(o.label, o.count, o.right) for o in capital.options] == [("Rome", 0, True), ("Milan", 0, False),
                                                                       ("Turin", 0, False)]


def test_counts_scores_and_chosen_options(quiz, learners):
    a, b, c, d = learners
    attempt(quiz, a, {"Capital": 0, "Sensors": [0, 1], "PLC": True, "Poet": "dante", "Pi": "3,14",
                      "Protocols": {"0": 0, "1": 2}, "Retrofit": "Add sensors to the press."})
    attempt(quiz, b, {"Capital": 1, "Sensors": [0, 2], "PLC": False, "Poet": " Alighieri ", "Pi": "3.14"})
    attempt(quiz, c, {"Capital": 0, "Sensors": [0], "PLC": True, "Poet": "Petrarca", "Pi": "three",
                      "Protocols": {"0": 0, "1": 1}})
    attempt(quiz, d, {"Capital": 2, "PLC": None})
    # An attempt still in progress is not counted.
    attempt(quiz, d, {"Capital": 0, "PLC": True}, submitted=False)
    found = by_name(quiz)

    capital = found["Capital"]
    assert (capital.responses, capital.answered, capital.graded) == (4, 4, 4)
    assert capital.correct_percent == 50 and capital.average == pytest.approx(0.5)
    assert [(o.label, o.count, o.percent) for o in capital.options] == [("Rome", 2, 50), ("Milan", 1, 25),
                                                                         ("Turin", 1, 25)]
    sensors = found["Sensors"]
    assert sensors.responses == 3 and sensors.correct_percent == 33
    assert sensors.average == pytest.approx((1.0 + 0.0 + 0.5) / 3)  # 50% - 100% is clamped to 0
    assert [o.count for o in sensors.options] == [3, 1, 1]

    plc = found["PLC"]
    assert (plc.responses, plc.answered) == (4, 3)  # d left it blank
    assert [(o.label, o.count, o.right) for o in plc.options] == [("True", 2, True), ("False", 1, False)]
    assert plc.correct_percent == 50

    poet = found["Poet"]
    assert [(o.label, o.count, o.fraction) for o in poet.options] == [
        ("alighieri", 1, 0.5), ("dante", 1, 1.0), ("petrarca", 1, 0.0)]
    pi = found["Pi"]
    assert [(o.label, o.count, o.right) for o in pi.options] == [("3.14", 2, True), ("three", 1, False)]

    protocols = found["Protocols"]
    assert protocols.responses == 2 and protocols.average == pytest.approx(0.75)
    assert protocols.correct_percent == 50
    (opc, mqtt) = protocols.stems
    assert opc.stem == "OPC UA"
    assert [(o.label, o.count, o.right) for o in opc.options] == [("data models", 2, True), ("invoices", 0, False),
                                                                  ("publish/subscribe", 0, False)]
    assert [o.count for o in mqtt.options] == [0, 1, 1]

    essay = found["Retrofit"]
    # The essay waits for a trainer: a response, but not yet a score.
    assert (essay.responses, essay.graded, essay.average) == (1, 0, None)
    totals = stats.summary(list(found.values()))
    assert totals["questions"] == 7 and totals["responses"] == 4 + 3 + 4 + 3 + 3 + 2 + 1


def test_top_ten_typed_answers(quiz, create_user):
    for n in range(12):
        learner = create_user(f"p{n}@example.com", f"P {n}")
        attempt(quiz, learner, {"Poet": f"Poet {n % 11}", "Pi": str(3 + n)})
    poet = by_name(quiz)["Poet"]
    assert len(poet.options) == stats.TOP_ANSWERS
    assert (poet.options[0].label, poet.options[0].count) == ("poet 0", 2)


def test_archived_questions_with_responses_keep_their_statistics(quiz, learners):
    attempt(quiz, learners[0], {"Capital": 0})
    capital, plc = quiz.live_questions[0], quiz.live_questions[2]
    capital.archived_at = plc.archived_at = NOW
    db.session.commit()
    found = stats.quiz_stats(quiz)
    names = [(s.name, s.archived) for s in found]
    # Capital was answered: listed last, as archived. PLC had no answers: gone.
    assert names[-1] == ("Capital", True) and ("PLC", True) not in names
    assert found[-1].correct_percent == 100


def test_normalise_answer():
    assert stats.normalise_answer("  Dante\u00a0 ALIGHIERI ") == "dante alighieri"
    assert stats.normalise_answer("Cafe\u0301") == stats.normalise_answer("Café")


def test_statistics_and_the_essay_queue_on_both_databases(db_app):
    """The grouped queries (JSON answers, the archived-last order, the essay queue's joins) on SQLite and PostgreSQL."""
    from lms.auth import accounts
    from lms.quizzes import essays

    course = make_course(modules=1)
    quiz = make_quiz(course, course.modules[0])
    learner = accounts.create_user("lea@example.com", "Lea", roles=("learner",), password="correct-horse-battery")
    db.session.commit()
    attempt(quiz, learner, {"Capital": 0, "Sensors": [0, 2], "Protocols": {"0": 0, "1": 1}, "Retrofit": "Text."})
    found = by_name(quiz)
    assert found["Capital"].correct_percent == 100 and [o.count for o in found["Sensors"].options] == [1, 0, 1]
    assert [o.count for o in found["Protocols"].stems[1].options] == [0, 1, 0]
    assert [r.answer for r in essays.pending_essays([course])] == ["Text."]
    assert essays.count_pending([course]) == {quiz.id: 1}


def test_a_graded_essay_has_an_average_grade_but_no_share_of_right_answers(quiz):
    essay = next(q for q in quiz.live_questions if q.name == "Retrofit")
    found = stats.question_stats(essay, [("Add sensors.", 0.8, False), ("Buy a robot.", 0.6, False), ("…", None, True)])
    assert (found.responses, found.graded) == (3, 2)
    assert found.correct_share is None and found.correct_percent is None
    assert found.average == pytest.approx(0.7)
