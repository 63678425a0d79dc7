"""Questions edited in forms (lms.quizzes.editing): each kind builds the right Question, bad input is named
field by field, and an unchanged question survives its form."""
from pathlib import Path

import pytest

from lms.quizzes import editing, gift
from lms.quizzes.questions import BLANK, Answer, Question

MOODLE_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "gift" / "moodle_examples.gift.txt"
needs_examples = pytest.mark.skipif(not MOODLE_EXAMPLES.exists(), reason="Moodle's GIFT examples are missing")


def build(kind, **values):
    values.setdefault("text_format", "markdown")
    return editing.question_from_values(kind, values)


def rows(*items, blank=2):
    """Answer rows as a form sends them, with `blank` empty rows at the end (the form always has some)."""
    return list(items) + [{"text": "", "weight": "", "feedback": ""} for _ in range(blank)]


def test_multichoice_one_right_answer():
    result = build("multichoice", name="Capital", text="The capital of **Italy**?", single="one",
                   general_feedback="Rome since 1871.", tags="geo, europe , geo", answers=rows(
                       {"text": "Rome", "weight": "100", "feedback": "Yes."},
                       {"text": "Milan", "weight": "", "feedback": "No: the economic capital."},
                       {"text": "Turin", "weight": "0%"}))
    assert result.ok, (result.errors, result.problems)
    assert result.question == Question(
        qtype="multichoice", name="Capital", text="The capital of **Italy**?", text_format="markdown",
        general_feedback="Rome since 1871.", general_feedback_format="markdown", single=True, tags=["geo", "europe"],
        answers=[Answer("Rome", 1.0, "Yes.", "markdown", "markdown"),
                 Answer("Milan", 0.0, "No: the economic capital.", "markdown", "markdown"),
                 Answer("Turin", 0.0, "", "markdown", "markdown")])


def test_multichoice_several_with_weights_and_penalties():
    result = build("multichoice", text="Which are sensors?", single="several", answers=rows(
        {"text": "Accelerometer", "weight": "50"}, {"text": "Thermocouple", "weight": "50 %"},
        {"text": "Spreadsheet", "weight": "-33,3"}))
    assert result.ok, (result.errors, result.problems)
    question = result.question
    assert question.single is False
    assert [a.fraction for a in question.answers] == [0.5, 0.5, -0.333]
    assert question.name == "Which are sensors?"  # no name typed: the start of the text, as Moodle names it
    assert question.grade([0, 1]).fraction == 1.0


def test_multichoice_problems_are_named_and_nothing_is_built():
    bad_weight = build("multichoice", text="Q?", answers=rows({"text": "A", "weight": "lots"}, {"text": "B"},
                                                              {"text": "", "feedback": "orphan feedback"}))
    assert bad_weight.question is None
    assert "answers-0-weight" in bad_weight.errors and "answers-2-text" in bad_weight.errors
    no_full_mark = build("multichoice", text="Q?", answers=rows({"text": "A", "weight": "50"}, {"text": "B"}))
    assert no_full_mark.question is None
    assert no_full_mark.problems == ["one answer must be worth 100% (the best is worth 50%)"]
    one_answer = build("multichoice", text="Q?", answers=rows({"text": "A", "weight": "100"}))
    assert one_answer.problems == ["multiple choice needs at least 2 answers, found 1"]
    several_short = build("multichoice", text="Q?", single="several",
                          answers=rows({"text": "A", "weight": "50"}, {"text": "B", "weight": "40"}))
    assert several_short.question is None and "add up to 100%" in several_short.problems[0]
    no_text = build("multichoice", text="  ", answers=rows({"text": "A", "weight": "100"}, {"text": "B"}))
    assert list(no_text.errors) == ["text"]


def test_truefalse_with_feedback_per_answer():
    result = build("truefalse", text="A PLC is a computer.", correct="true", feedback_true="Right: a rugged one.",
                   feedback_false="It is one.", text_format="plain")
    assert result.ok
    question = result.question
    assert (question.qtype, question.correct, question.feedback_true, question.feedback_false) == (
        "truefalse", True, "Right: a rugged one.", "It is one.")
    assert question.feedback_true_format == question.feedback_false_format == "plain"
    assert build("truefalse", text="X", correct="maybe").errors == {"correct": ["Choose the right answer: true or false."]}


def test_shortanswer_accepts_several_answers_with_weights():
    result = build("shortanswer", text="Who wrote the Divine Comedy?", answers=rows(
        {"text": "Dante", "weight": "", "feedback": "Yes."}, {"text": "Dante Alighieri"},
        {"text": "Alighieri", "weight": "50"}))
    assert result.ok, result.errors
    assert [(a.text, a.fraction) for a in result.question.answers] == [
        ("Dante", 1.0), ("Dante Alighieri", 1.0), ("Alighieri", 0.5)]
    assert result.question.grade("  dante ").fraction == 1.0  # case-insensitive, as the form says
    assert build("shortanswer", text="Q?", answers=rows()).problems == [
        "a short-answer question needs at least one accepted answer"]


def test_numerical_value_tolerance_range_and_any_number():
    result = build("numerical", text="Pi to 3 decimals?", answers=rows(
        {"value": "3,1415", "tolerance": "0.0005", "feedback": "Good."},
        {"low": "3", "high": "3.3", "weight": "50"},
        {"any_number": True, "weight": "0", "feedback": "Think of a circle."}))
    assert result.ok, result.errors
    first, ranged, other = result.question.answers
    assert (first.value, first.tolerance, first.fraction, first.feedback) == (3.1415, 0.0005, 1.0, "Good.")
    # A range is stored as Moodle (and gift.parse) store it: midpoint ± half the width.
    (expected,) = gift.parse("Pi?{#=3..3.3}")
    assert (ranged.value, ranged.tolerance, ranged.fraction) == (expected.answers[0].value,
                                                                 expected.answers[0].tolerance, 0.5)
    assert other.value is None and other.feedback == "Think of a circle."
    assert result.question.grade("3,2").fraction == 0.5


@pytest.mark.parametrize(("row", "field"), [
    ({"value": "1", "low": "0", "high": "2"}, "answers-0-low"),
    ({"low": "2", "high": "1"}, "answers-0-high"),
    ({"low": "2"}, "answers-0-high"),
    ({"value": "twelve"}, "answers-0-value"),
    ({"value": "1", "tolerance": "-1"}, "answers-0-tolerance"),
    ({"feedback": "a feedback without a number"}, "answers-0-value"),
    ({"any_number": True, "value": "3"}, "answers-0-value"),
])
def test_numerical_bad_rows_are_named(row, field):
    result = build("numerical", text="Q?", answers=rows(row))
    assert result.question is None
    assert field in result.errors


def test_match_pairs_and_extra_wrong_choices():
    result = build("match", text="Match the protocol to its use.", answers=rows(
        {"text": "OPC UA", "match_text": "machine data models"}, {"text": "MQTT", "match_text": "publish/subscribe"},
        {"text": "", "match_text": "printing invoices"}))
    assert result.ok, (result.errors, result.problems)
    assert result.question.pairs == [("OPC UA", "machine data models"), ("MQTT", "publish/subscribe"),
                                     ("", "printing invoices")]
    missing = build("match", text="Q", answers=rows({"text": "A", "match_text": "1"}, {"text": "B"}))
    assert list(missing.errors) == ["answers-1-match_text"]
    too_few = build("match", text="Q", answers=rows({"text": "A", "match_text": "1"}, {"text": "B", "match_text": "2"}))
    assert too_few.question is None and "at least 2 questions and 3 answers" in too_few.problems[0]


def test_missing_word_is_stored_as_moodle_imports_it():
    result = build("missingword", text="Grant is ___ in Grant's tomb.", text_format="moodle", answers=rows(
        {"text": "buried", "weight": "0"}, {"text": "entombed", "weight": "100"}, {"text": "living"}))
    assert result.ok, (result.errors, result.problems)
    (moodle,) = gift.parse("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert result.question == moodle
    assert result.question.text == f"Grant is {BLANK} in Grant's tomb." and result.question.blank == 9
    typed = build("missingword-text", text="Two plus two equals ________.", answers=rows({"text": "four"},
                                                                                        {"text": "4"}))
    assert typed.ok and typed.question.qtype == "shortanswer" and typed.question.text_after == "."
    number = build("missingword-number", text="Pi is about ___.", answers=rows({"value": "3.14", "tolerance": "0.01"}))
    assert number.ok and number.question.qtype == "numerical" and number.question.blank == 12


@pytest.mark.parametrize("text", ["No blank here.", "Two ___ blanks ___."])
def test_missing_word_needs_exactly_one_blank(text):
    result = build("missingword", text=text, answers=rows({"text": "a", "weight": "100"}, {"text": "b"}))
    assert result.question is None and list(result.errors) == ["text"]


def test_essay_and_description():
    essay = build("essay", text="Describe one retrofit you would propose.", general_feedback="Look for costs.")
    assert essay.ok and essay.question.qtype == "essay" and essay.question.answers == []
    description = build("description", name="Part 2", text="The next questions are about sensors.")
    assert description.ok and (description.question.qtype, description.question.name) == ("description", "Part 2")
    too_long = build("essay", name="x" * 300, text="Q")
    assert "name" in too_long.errors


def test_unknown_format_is_refused():
    result = build("essay", text="Q", text_format="docx")
    assert result.question is None and "text_format" in result.errors


def test_editing_keeps_the_category_of_the_question():
    (base,) = gift.parse("$CATEGORY: top/sensors\n\n::Q::Which?{=a ~b}")
    result = editing.question_from_values(editing.kind_of(base), editing.values_from_question(base), base)
    assert result.question.category == "top/sensors"


@needs_examples
def test_every_moodle_example_survives_its_form_unchanged():
    """Open each of Moodle's example questions in its form, save it unchanged: the same question comes back,
    formats (an imported answer's own format too), weights, numbers and the blank included."""
    found = gift.parse(MOODLE_EXAMPLES.read_text(encoding="utf-8"))
    found.append(gift.parse("[html]<p>Q</p>{=[plain]a<b ~[moodle]b#[markdown]*no*}")[0])
    for question in found:
        kind = editing.kind_of(question)
        values = editing.values_from_question(question)
        values["answers"] = values.get("answers", []) + [{} for _ in range(2)]  # the form's empty rows
        result = editing.question_from_values(kind, values, question)
        assert result.question == question, (question.name, result.errors, result.problems)
    assert {editing.kind_of(q).key for q in found} >= {"multichoice", "truefalse", "shortanswer", "numerical",
                                                        "match", "missingword", "missingword-text",
                                                        "missingword-number"}


def test_new_values_start_in_markdown():
    assert editing.new_values("multichoice")["text_format"] == "markdown"
    assert editing.new_values("truefalse")["correct"] == "true"


# The forms (lms.quizzes.forms) carry the values unchanged --------------------------------------------------

def formdata(values: dict):
    """``values`` as a browser posts them: flat field names, ticked boxes only."""
    from werkzeug.datastructures import MultiDict

    data = MultiDict()
    for key, value in values.items():
        if key == "answers":
            for i, row in enumerate(value):
                for sub, v in row.items():
                    if v is True:
                        data.add(f"answers-{i}-{sub}", "y")
                    elif v not in (False, None):
                        data.add(f"answers-{i}-{sub}", v)
        else:
            data.add(key, value)
    return data


@needs_examples
def test_every_moodle_example_survives_the_posted_form(app):
    from lms.quizzes.forms import FORMS

    for question in gift.parse(MOODLE_EXAMPLES.read_text(encoding="utf-8")):
        kind = editing.kind_of(question)
        with app.test_request_context(method="POST", data=formdata(editing.values_from_question(question))):
            form = FORMS[kind.qtype]()
            assert form.validate(), form.errors
            result = editing.question_from_values(kind, form.values(), question)
        assert result.question == question, (question.name, result.errors, result.problems)


def test_form_errors_land_next_to_their_fields_and_the_typing_stays(app):
    """(That nothing is saved then is tested on the page: test_trainer_views.)"""
    from lms.quizzes.forms import MultiChoiceForm

    posted = {"text": "Q?", "text_format": "markdown", "single": "one",
              "answers": [{"text": "A", "weight": "cento"}, {"text": "", "feedback": "lonely feedback"}]}
    with app.test_request_context(method="POST", data=formdata(posted)):
        form = MultiChoiceForm()
        assert form.validate()
        result = editing.question_from_values("multichoice", form.values())
        assert not result.ok
        assert form.attach_errors({**result.errors, "somewhere-else": ["A general problem."]}) == ["A general problem."]
        assert form.answers.entries[0].form.weight.errors == ["“cento” is not a number."]
        assert form.answers.entries[1].form.text.errors == ["Write the answer, or clear its feedback."]
        form.pad_rows()
        assert len(form.answers.entries) == 6 and form.answers.entries[1].form.feedback.data == "lonely feedback"
