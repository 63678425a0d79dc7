"""Grading, the learner's public view, the qtype registry and JSON storage (lms.quizzes.questions)."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lms.quizzes import gift, questions

Answer, Question, Grade, grade = questions.Answer, questions.Question, questions.Grade, questions.grade
InvalidResponse = questions.InvalidResponse

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gift"
FIXTURE_FILES = sorted(FIXTURES.glob("*.txt")) if FIXTURES.is_dir() else []
needs_fixtures = pytest.mark.skipif(not FIXTURE_FILES, reason=f"no GIFT fixtures in {FIXTURES}")


def one(text: str) -> Question:
    (question,) = gift.parse(text)
    return question


def all_fixture_questions() -> list[Question]:
    return [q for path in FIXTURE_FILES for q in gift.parse(path.read_text(encoding="utf-8"), str(path))]


JESUS = one("""::Jesus' hometown::Jesus Christ was from {
    ~Jerusalem#This was an important city, but the wrong answer.
    ~%25%Bethlehem#He was born here, but not raised here.
    ~%50%Galilee#You need to be more specific.
    =Nazareth#Yes! That's right!}.""")
COLOURS = one("""::colours:: What's between orange and green in the spectrum?{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%off-beige # right; good!
    ~%-100%[plain]blue # wrong
}""")
ANIMAL = one("::Shortanswer::Which is the best animal?{=Frog#Good! =%50%Cat#Cats? =%0%*#Completely wrong}")
NUMBER = one("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
GRANT = one("::Grant::When was Ulysses S. Grant born? {#\n=1822:0 #Correct!\n=%50%1822:2 #Close.\n}")
FORTY_TWO = one("::Q1:: 42 is the Absolute Answer.{FALSE#42 is the Ultimate Answer.#You gave the right answer.}")
CAPITALS = one("Capitals?{=Italy -> Rome =Canada -> Ottawa =Japan -> Tokyo = -> Paris}")


# --- Multiple choice ------------------------------------------------------------------------------

def test_multichoice_single_right_partial_and_wrong():
    right = grade(JESUS, 3)
    assert (right.fraction, right.correct, right.feedback) == (1.0, True, ["Yes! That's right!"])
    assert grade(JESUS, 2).fraction == 0.5 and not grade(JESUS, 2).correct
    wrong = grade(JESUS, 0)
    assert (wrong.fraction, wrong.feedback, wrong.feedback_formats) == (
        0.0, ["This was an important city, but the wrong answer."], ["moodle"])


def test_multichoice_unanswered_and_json_string_index():
    assert grade(JESUS, None) == Grade(0.0)
    assert grade(JESUS, "3").fraction == 1.0  # a form posts strings


@pytest.mark.parametrize("bad", [4, -1, True, "x", 1.0, [3]])
def test_multichoice_single_rejects_a_bad_index(bad):
    with pytest.raises(InvalidResponse):
        grade(JESUS, bad)


def test_multichoice_multi_sums_weights_with_negative_ones():
    assert grade(COLOURS, [0, 2]).fraction == 1.0 and grade(COLOURS, [0, 2]).correct
    assert grade(COLOURS, [2]).fraction == 0.5
    assert grade(COLOURS, [0, 2, 1]).fraction == 0.0  # 0.5 + 0.5 - 1.0
    assert grade(COLOURS, [0, 0, 2, 2]).fraction == 1.0  # duplicates count once
    assert grade(COLOURS, []).fraction == 0.0


def test_multichoice_multi_is_clamped_at_zero_and_shows_each_chosen_feedback():
    worst = grade(COLOURS, [1, 3])  # -100% -100%
    assert worst.fraction == 0.0
    assert worst.feedback == ["wrong", "wrong"] and worst.feedback_formats == ["html", "moodle"]


def test_multichoice_is_clamped_at_one_even_for_overweighted_data():
    q = Question("multichoice", name="x", text="x", single=False,
                 answers=[Answer("a", 1.0), Answer("b", 0.5), Answer("c", 0)])
    assert grade(q, [0, 1]).fraction == 1.0


def test_multichoice_multi_wants_a_list():
    with pytest.raises(InvalidResponse):
        grade(COLOURS, 0)
    with pytest.raises(InvalidResponse):
        grade(COLOURS, [0, 9])


# --- True/false -----------------------------------------------------------------------------------

def test_truefalse_grades_and_shows_the_feedback_of_the_answer_given():
    assert grade(FORTY_TWO, False) == Grade(1.0, ["You gave the right answer."], True, feedback_formats=["moodle"])
    wrong = grade(FORTY_TWO, True)
    assert (wrong.fraction, wrong.correct, wrong.feedback) == (0.0, False, ["42 is the Ultimate Answer."])
    assert grade(FORTY_TWO, None).fraction == 0.0
    with pytest.raises(InvalidResponse):
        grade(FORTY_TWO, "false")


# --- Short answer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("response, fraction, feedback", [
    ("Frog", 1.0, "Good!"),
    ("  fROG ", 1.0, "Good!"),   # trimmed, case-insensitive as Moodle's default
    ("cat", 0.5, "Cats?"),
    ("dog", 0.0, "Completely wrong"),  # '*' catches everything else
])
def test_shortanswer_first_matching_answer_wins(response, fraction, feedback):
    result = grade(ANIMAL, response)
    assert (result.fraction, result.feedback) == (fraction, [feedback])


def test_shortanswer_wildcards_and_literal_asterisk():
    q = one("Say {=*ing =%50%a\\\\*b}")  # GIFT "\\\\*" is a literal backslash-asterisk: Moodle's \\*
    assert q.answers[1].text == "a\\*b"
    assert grade(q, "Nothing").fraction == 1.0
    assert grade(q, "a*b").fraction == 0.5
    assert grade(q, "axxb").fraction == 0.0


def test_shortanswer_unicode_normalisation_and_blank():
    q = one("Café? {=café}")
    assert grade(q, "cafe\u0301").fraction == 1.0  # decomposed é
    assert grade(q, "   ") == Grade(0.0) and grade(q, None) == Grade(0.0)
    with pytest.raises(InvalidResponse):
        grade(q, 3)


def test_shortanswer_with_no_match_and_no_wildcard_scores_zero_without_feedback():
    q = one("Two plus two equals {=four =4}.")
    assert grade(q, "five") == Grade(0.0)


# --- Numerical ------------------------------------------------------------------------------------

@pytest.mark.parametrize("response, fraction", [
    ("3", 1.0), (5, 1.0), (1.0, 1.0), ("4,99", 1.0), ("  +2.5 ", 1.0), ("5.01", 0.0), ("-1", 0.0),
])
def test_numerical_tolerance_and_italian_comma(response, fraction):
    assert grade(NUMBER, response).fraction == fraction


def test_numerical_catch_all_feedback_and_weighted_answers():
    assert grade(NUMBER, "9").feedback == ["Completely wrong"]
    assert (grade(GRANT, "1822").fraction, grade(GRANT, "1822").feedback) == (1.0, ["Correct!"])
    assert (grade(GRANT, "1823,5").fraction, grade(GRANT, "1823,5").feedback) == (0.5, ["Close."])
    assert grade(GRANT, "1830") == Grade(0.0)


def test_numerical_range_edges_survive_float_rounding():
    q = one("Pi? {#3.141..3.142}")
    assert grade(q, "3,141").fraction == 1.0 and grade(q, "3.142").fraction == 1.0
    assert grade(q, "3.1421").fraction == 0.0


def test_numerical_unparsable_scores_zero_with_a_clear_feedback():
    result = grade(NUMBER, "three")
    assert (result.fraction, result.invalid_response, result.correct) == (0.0, True, False)
    assert result.feedback == [questions.NOT_A_NUMBER] and "3,14" in result.feedback[0]
    assert grade(NUMBER, "") == Grade(0.0)
    with pytest.raises(InvalidResponse):
        grade(NUMBER, [3])


@pytest.mark.parametrize("raw, value", [
    ("3.14", 3.14), ("3,14", 3.14), ("-2", -2.0), ("\u22122", -2.0), ("1e3", 1000.0), (".5", 0.5),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234.567", 1234567.0), ("1,234,567", 1234567.0),
    ("1,234", 1.234), (7, 7.0), (2.5, 2.5),
    ("abc", None), ("", None), ("1,2,3", None), ("1.2.3", None), ("inf", None), ("nan", None),
    ("1e999", None), (True, None), (None, None), ("1 234", None),
])
def test_parse_number(raw, value):
    assert questions.parse_number(raw) == value


# --- Matching -------------------------------------------------------------------------------------

def _right_answers(q: Question) -> dict[int, int]:
    choices = questions.match_choices(q)
    return {i: choices.index(stem.match_text) for i, stem in enumerate(questions.match_stems(q))}


def test_match_share_of_right_pairs_with_json_keys():
    right = _right_answers(CAPITALS)
    assert grade(CAPITALS, right).fraction == 1.0 and grade(CAPITALS, right).correct
    as_json = json.loads(json.dumps(right))  # keys become strings
    assert grade(CAPITALS, as_json).fraction == 1.0
    paris = questions.match_choices(CAPITALS).index("Paris")
    one_wrong = {**right, 0: paris}
    assert grade(CAPITALS, one_wrong).fraction == pytest.approx(2 / 3)
    assert grade(CAPITALS, {0: right[0], 1: None}).fraction == pytest.approx(1 / 3)
    assert grade(CAPITALS, None).fraction == 0.0


def test_match_choice_indices_do_not_follow_the_pairs():
    assert questions.match_choices(CAPITALS) == ["Ottawa", "Paris", "Rome", "Tokyo"]
    assert _right_answers(CAPITALS) == {0: 2, 1: 0, 2: 3}


@pytest.mark.parametrize("bad", [{5: 0}, {0: 9}, {"x": 0}, [0, 1], {0: True}])
def test_match_rejects_bad_responses(bad):
    with pytest.raises(InvalidResponse):
        grade(CAPITALS, bad)


# --- Essay, description ---------------------------------------------------------------------------

def test_essay_waits_for_a_teacher():
    q = one("::E:: Describe a cobot cell. {}")
    assert grade(q, "It has a UR5e...") == Grade(0.0, needs_manual=True)
    assert grade(q, "  ") == Grade(0.0) and grade(q, None) == Grade(0.0)


def test_description_is_not_graded():
    q = one("Read this first.")
    assert grade(q, "anything") == Grade(0.0)
    assert questions.QUESTION_TYPES["description"].gradable is False and q.default_mark == 0


@needs_fixtures
def test_every_fraction_is_clamped_to_zero_one():
    responses = [None, 0, 1, 2, [0, 1], [1], True, False, "x", "4", "Frog", {0: 0, 1: 1}, "1822"]
    for q in all_fixture_questions():
        for response in responses:
            try:
                result = grade(q, response)
            except InvalidResponse:
                continue
            assert 0.0 <= result.fraction <= 1.0


# --- Public view: what the page may see before submission ----------------------------------------

SECRET_KEYS = ("fraction", "feedback", "correct", "value", "tolerance", "match_text", "answers", "name")


@needs_fixtures
def test_public_view_never_leaks_weights_feedback_or_answers():
    for q in all_fixture_questions():
        view = q.public_dict()
        dumped = json.dumps(view, ensure_ascii=False)
        assert not any(f'"{key}"' in dumped for key in SECRET_KEYS), dumped
        for answer in q.answers:
            if answer.feedback:
                assert answer.feedback not in dumped
        if q.qtype in ("shortanswer", "numerical", "truefalse", "essay", "description"):
            assert set(view) == {"qtype", "text", "text_format", "blank"}


def test_shortanswer_accepted_answers_never_appear_in_the_public_view():
    q = one("::Kanji::[markdown]Where do Japanese characters come from?{=China#Yes =%50%Chinese lands#Almost}")
    dumped = json.dumps(q.public_dict(random.Random(1)), ensure_ascii=False)
    for answer in q.answers:
        assert answer.text not in dumped and answer.feedback not in dumped
    assert "Kanji" not in dumped


def test_numerical_and_truefalse_public_views_hold_only_the_text():
    assert NUMBER.public_dict() == {"qtype": "numerical", "text": "What is a number from 1 to 5?",
                                    "text_format": "moodle", "blank": None}
    assert "3" not in json.dumps(NUMBER.public_dict()).replace("5?", "")
    assert FORTY_TWO.public_dict()["text"] == "42 is the Absolute Answer."


def test_multichoice_public_view_has_texts_and_stable_indices_only():
    view = COLOURS.public_dict()
    assert view["single"] is False
    assert view["choices"][1] == {"index": 1, "text": "red", "format": "moodle"}
    shuffled = COLOURS.public_dict(random.Random(7))["choices"]
    assert sorted(shuffled, key=lambda c: c["index"]) == view["choices"]
    # The index a page posts back is the one grade() understands, whatever the display order.
    assert grade(COLOURS, [c["index"] for c in shuffled if c["text"] in ("yellow", "off-beige")]).fraction == 1.0


def test_match_public_view_shows_stems_and_sorted_choices_without_the_pairing():
    view = CAPITALS.public_dict()
    assert [s["text"] for s in view["stems"]] == ["Italy", "Canada", "Japan"]
    assert [c["text"] for c in view["choices"]] == ["Ottawa", "Paris", "Rome", "Tokyo"]
    shuffled = CAPITALS.public_dict(random.Random(3))
    assert {c["index"]: c["text"] for c in shuffled["choices"]} == {c["index"]: c["text"] for c in view["choices"]}


def test_missing_word_public_view_keeps_the_blank():
    view = JESUS.public_dict()
    assert view["text"] == "Jesus Christ was from _____." and view["blank"] == 22


# --- Registry, validation, JSON storage -----------------------------------------------------------

def test_registry_covers_every_qtype():
    assert tuple(questions.QUESTION_TYPES) == questions.QTYPES == (
        "multichoice", "truefalse", "shortanswer", "numerical", "match", "essay", "description")
    for name, qtype in questions.QUESTION_TYPES.items():
        assert qtype.name == name
        assert all(callable(getattr(qtype, m)) for m in ("validate", "grade", "public"))


def test_validate_reports_model_problems():
    bad = Question("multichoice", name="", text="x _", blank=2, text_format="rtf",
                   answers=[Answer("a", 1), Answer("b", 0, feedback_format="docx")])
    problems = questions.validate(bad)
    assert "the question has no name" in problems
    assert "unknown text format 'rtf'" in problems and "unknown text format 'docx'" in problems
    assert any("blank offset 2" in p for p in problems)
    assert questions.validate(Question("poll", name="p")) == ["unknown question type 'poll'"]
    assert JESUS.validate() == []


@needs_fixtures
def test_to_dict_survives_json_for_every_fixture_question():
    for q in all_fixture_questions():
        data = json.loads(json.dumps(q.to_dict()))
        assert Question.from_dict(data) == q
        assert data["schema"] == questions.SCHEMA and data["line"] == q.line


@pytest.mark.parametrize("q, answer_keys", [
    (JESUS, {"text", "text_format", "fraction", "feedback", "feedback_format"}),
    (ANIMAL, {"text", "fraction", "feedback", "feedback_format"}),
    (NUMBER, {"value", "tolerance", "fraction", "feedback", "feedback_format"}),
    (CAPITALS, {"text", "text_format", "match_text"}),
])
def test_to_dict_answer_shapes(q, answer_keys):
    assert all(set(a) == answer_keys for a in q.to_dict()["answers"])


def test_to_dict_type_specific_keys():
    assert COLOURS.to_dict()["single"] is False
    tf = FORTY_TWO.to_dict()
    assert (tf["correct"], tf["feedback_true"], tf["feedback_false"]) == (
        False, "42 is the Ultimate Answer.", "You gave the right answer.")
    assert "answers" not in tf and "single" not in tf
    essay = one("Why? {}").to_dict()
    assert "answers" not in essay and essay["qtype"] == "essay"


def test_from_dict_rejects_unknown_types_and_defaults_missing_keys():
    with pytest.raises(ValueError):
        Question.from_dict({"qtype": "cloze"})
    q = Question.from_dict({"qtype": "numerical", "name": "n", "text": "N?",
                            "answers": [{"value": "2", "fraction": 1}, {"feedback": "no"}]})
    assert [(a.value, a.tolerance, a.fraction) for a in q.answers] == [(2.0, 0.0, 1.0), (None, 0.0, 0.0)]
    assert grade(q, "2").correct and grade(q, "7").feedback == ["no"]


def test_grade_to_dict_is_json_friendly():
    data = grade(COLOURS, [1, 3]).to_dict()
    assert json.loads(json.dumps(data)) == {"fraction": 0.0, "feedback": ["wrong", "wrong"], "correct": False,
                                            "needs_manual": False, "feedback_formats": ["html", "moodle"],
                                            "invalid_response": False}
