"""The project's own GIFT files (tests/data/gift) parse with the meaning GIFT gives them and round-trip."""
import pytest

from lms.quizzes.gift import dump, parse
from tests.own_data import GIFT

OWN_FILES = sorted(GIFT.glob("*.gift"))


def by_name(path):
    return {q.name: q for q in parse(path.read_text(encoding="utf-8"), str(path))}


def test_there_are_own_files():
    assert [p.name for p in OWN_FILES] == ["categories.gift", "every_type.gift"]


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_round_trip(path):
    original = parse(path.read_text(encoding="utf-8"), str(path))
    again = parse(dump(original), "dumped.gift")
    assert again == original


def test_every_escape_in_name_text_answers_and_feedback():
    q = by_name(GIFT / "every_type.gift")["Escapes: all of them {ok}"]
    assert q.text == "Which characters must be escaped in GIFT: ~ = # { } and : ?\nPick the first line."
    assert (q.answers[0].text, q.answers[0].feedback) == ("The six: ~ = # { } :", "Right # they {all} are.")
    questions = by_name(GIFT / "every_type.gift")
    assert questions["Backslash"].text == "A Windows path such as C:\\plant\\line1 has backslashes."
    assert questions["LaTeX"].text.startswith("What is \\(x^2\\) at \\[x=3\\]?")


def test_types_answers_and_formats_mean_what_gift_says():
    q = by_name(GIFT / "every_type.gift")
    assert [a.fraction for a in q["Sensors to retrofit"].answers] == [0.5, 0.5, -1.0]
    assert not q["Sensors to retrofit"].single and q["Protocol for machines"].single
    assert q["Protocol for machines"].general_feedback.startswith("OPC UA is the de facto")
    assert (q["Digital twin true"].correct, q["Digital twin true"].feedback_true) == (True, "Correct.")
    assert (q["Cobots need cages"].correct, q["Word true"].correct, q["Word false"].correct) == (False, True, False)
    assert [(a.text, a.fraction) for a in q["Acronym"].answers] == [("Industrial", 1), ("Industry", 0.5),
                                                                    ("Indust*", 1)]
    assert [(a.value, a.tolerance) for a in q["Tolerance"].answers] == [(84.6, 0.1)]
    assert [(a.value, a.tolerance) for a in q["Range"].answers] == [(16000, 8000)]
    assert [(a.value, a.fraction) for a in q["Several numbers"].answers] == [(32, 1), (4, 0.5), (None, 0)]
    assert [a.match_text for a in q["Match roles"].answers][0] == "sets the strategy and budget"
    assert q["Match data"].answers[3].text_format == "markdown"
    assert q["Missing word"].text.count("_____") == 1 and q["Missing at start"].text.startswith("_____")
    assert q["Essay with feedback"].general_feedback_format == "markdown"
    assert q["About this quiz"].qtype == "description"
    assert (q["Plain format"].text_format, q["Moodle format"].text) == ("plain", "Moodle's auto-format\nkeeps its line breaks.")
    html = next(x for x in q.values() if x.text_format == "html")
    assert html.answers[1].text_format == "plain"
    assert q["Protocol for machines"].idnumber == "conn-01" and q["Protocol for machines"].tags == ["iiot", "basics"]


def test_categories_apply_to_the_questions_that_follow():
    q = by_name(GIFT / "categories.gift")
    assert [x.category for x in q.values()] == ["officina/Retrofitting"] * 2 + ["officina/Data"] * 2
