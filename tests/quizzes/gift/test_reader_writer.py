"""The GIFT library (lms.quizzes.gift: parse and dump), checked against Moodle's own tests and fixtures.

The expectations mirror Moodle's question/format/gift/tests/giftformat_test.php, in our data model.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lms.quizzes import gift, questions
from lms.quizzes.gift import text as gift_text

Answer, Question, GiftError, parse, dump = (questions.Answer, questions.Question, gift.GiftError,
                                            gift.parse, gift.dump)

FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "gift"
FIXTURE_FILES = sorted(FIXTURES.glob("*.txt")) if FIXTURES.is_dir() else []
needs_fixtures = pytest.mark.skipif(not FIXTURE_FILES, reason=f"no GIFT fixtures in {FIXTURES}")


def fixture(name: str) -> list[Question]:
    path = FIXTURES / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def one(text: str) -> Question:
    """The single question in ``text``."""
    (question,) = parse(text)
    return question


def errors_of(text: str, path: str = "quiz.gift") -> list[str]:
    with pytest.raises(GiftError) as caught:
        parse(text, path)
    return caught.value.errors


# --- Moodle's fixture files ------------------------------------------------------------------

@needs_fixtures
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_fixture_file_parses_without_errors(path):
    found = parse(path.read_text(encoding="utf-8"), str(path))
    assert found and all(q.qtype in questions.QTYPES for q in found)


@needs_fixtures
def test_moodle_fixture_gives_the_nine_questions_moodle_imports():
    # Moodle's behat test: "Importing 9 questions from file".
    found = fixture("moodle_tests_fixtures_questions.gift.txt")
    assert [q.qtype for q in found] == ["essay", "match", "multichoice", "multichoice", "numerical",
                                        "shortanswer", "truefalse", "truefalse", "truefalse"]
    assert [q.name for q in found] == ["Q8", "Moodle activities", "Q2", "colours", "Q5", "Shortanswer",
                                       "Q1", "2-08 TSL", "2-08 TSL"]


@needs_fixtures
def test_fixture_stray_quote_after_the_block_makes_a_missing_word_question_as_in_moodle():
    # Moodle's fixture has a PHP leftover '";' after two blocks; Moodle's importer then inserts a
    # blank, because the text no longer ends with '}'. We give the file the same meaning.
    by_name = {q.name: q for q in fixture("moodle_tests_fixtures_questions.gift.txt")}
    assert by_name["Q5"].text == 'What is a number from 1 to 5? _____";'
    assert by_name["Q1"].text == '42 is the Absolute Answer to everything._____";'
    assert by_name["Q1"].general_feedback == "This is, of course, a Hitchiker's Guide to the Galaxy reference."


@needs_fixtures
def test_examples_file_types_and_lines():
    found = fixture("moodle_examples.gift.txt")
    assert Counter(q.qtype for q in found) == {"multichoice": 18, "shortanswer": 9, "numerical": 8,
                                               "truefalse": 5, "match": 3}
    assert found[0].line == 8 and found[0].text == "Who's buried in Grant's tomb?"


@needs_fixtures
def test_examples_file_meanings():
    by_name: dict[str, Question] = {}
    for q in fixture("moodle_examples.gift.txt"):
        by_name.setdefault(q.name, q)  # two questions are named "Jesus' hometown": keep the first
    hometown = by_name["Jesus' hometown"]
    assert hometown.text == "Jesus Christ was from _____."
    assert [(a.text, a.fraction) for a in hometown.answers] == [
        ("Jerusalem", 0.0), ("Bethlehem", 0.25), ("Galilee", 0.5), ("Nazareth", 1.0)]
    numerical = by_name["Numerical example"]
    assert [(a.value, a.tolerance, a.fraction) for a in numerical.answers] == [(1822, 0, 1.0), (1822, 2, 0.5)]
    assert numerical.answers[1].feedback == "He was born in 1822.\nYou get 50% credit for being close."
    control = by_name["GIFT Control Characters"]
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[5].fraction == 1.0
    assert control.answers[5].feedback.startswith("Correct! \\ (backslash) is not a control character. BUT,\n")


@needs_fixtures
def test_category_fixture_applies_the_category_to_the_following_questions():
    found = fixture("moodle_tests_fixtures_questions_in_category.gift.txt")
    assert [q.qtype for q in found] == ["match", "multichoice", "shortanswer", "truefalse"]
    assert {q.category for q in found} == {"$course$/Default for New Features"}
    greeting = found[1]
    assert greeting.text.startswith('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen')
    assert greeting.text_format == "html" and greeting.answers[1].feedback == "Yes, well done!"
    assert found[2].answers == [Answer("Moodler", 1.0, "", feedback_format="html")]
    assert found[3].correct is True


# --- Mirrors of giftformat_test.php, question type by question type ---------------------------

def test_import_essay():
    q = one("// essay\n::Q8:: How are you? {}")
    assert (q.qtype, q.name, q.text, q.text_format) == ("essay", "Q8", "How are you?", "moodle")
    assert (q.general_feedback, q.general_feedback_format, q.answers) == ("", "moodle", [])


def test_import_match():
    q = one("""// question: 2  name: Moodle activities
::Moodle activities::[html]Match the <b>activity</b> to the description.{
    =[html]An activity supporting asynchronous discussions. -> Forum
    =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
    =[plain]A bank of record entries which participants can add to. -> Database
    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki
    = -> Chat
}""")
    assert (q.qtype, q.name, q.text) == ("match", "Moodle activities", "Match the <b>activity</b> to the description.")
    assert (q.text_format, q.general_feedback_format) == ("html", "html")
    assert [(a.text, a.text_format) for a in q.answers] == [
        ("An activity supporting asynchronous discussions.", "html"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "moodle"),
        ("A bank of record entries which participants can add to.", "plain"),
        ("A collection of web pages that anyone can add to or edit.", "markdown"),
        ("", "html")]
    assert [a.match_text for a in q.answers] == ["Forum", "Choice", "Database", "Wiki", "Chat"]
    assert q.pairs[0] == ("An activity supporting asynchronous discussions.", "Forum")


def test_import_multichoice_answers_take_their_own_format_and_feedback_the_questions():
    q = one("""// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{
    =yellow # right; good!
    ~red # [html]wrong, it's yellow
    ~[plain]blue # wrong, it's yellow
}""")
    assert (q.qtype, q.name, q.single) == ("multichoice", "Q2", True)
    assert q.text == "What's between orange and green in the spectrum?"
    assert [(a.text, a.text_format) for a in q.answers] == [("yellow", "moodle"), ("red", "moodle"), ("blue", "plain")]
    assert [a.fraction for a in q.answers] == [1, 0, 0]
    assert [(a.feedback, a.feedback_format) for a in q.answers] == [
        ("right; good!", "moodle"), ("wrong, it's yellow", "html"), ("wrong, it's yellow", "moodle")]


def test_import_multichoice_multi_with_negative_weights():
    q = one("""::colours:: What's between orange and green in the spectrum?
{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%off-beige # right; good!
    ~%-100%[plain]blue # wrong
}""")
    assert q.single is False
    assert [a.text for a in q.answers] == ["yellow", "red", "off-beige", "blue"]
    assert [a.fraction for a in q.answers] == [0.5, -1.0, 0.5, -1.0]
    assert [a.feedback_format for a in q.answers] == ["moodle", "html", "moodle", "moodle"]
    assert q.answers[3].text_format == "plain"


def test_import_multichoice_multi_tricky_hundred_percent_tilde_is_still_multiple():
    q = one("::colours:: What's between orange and green?{~%100%yellow # right; good!\n~%-50%red # wrong\n~%-50%blue # wrong}")
    assert q.single is False  # no '=' anywhere: Moodle makes it a multiple-answer question
    assert [a.fraction for a in q.answers] == [1.0, -0.5, -0.5]


def test_import_numerical_with_wrong_answer_feedback():
    q = one("// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert (q.qtype, q.text, q.blank) == ("numerical", "What is a number from 1 to 5?", None)
    assert [(a.value, a.tolerance, a.fraction, a.feedback) for a in q.answers] == [
        (3.0, 2.0, 1.0, ""), (None, 0.0, 0.0, "Completely wrong")]


def test_import_shortanswer():
    q = one("""::Shortanswer::Which is the best animal?{
    =Frog#Good!
    =%50%Cat#What is it with Moodlers and cats?
    =%0%*#Completely wrong
}""")
    assert q.qtype == "shortanswer"
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "What is it with Moodlers and cats?"), ("*", 0.0, "Completely wrong")]


def test_import_shortanswer_with_general_feedback_in_its_own_format():
    q = one("::Shortanswer::Which is the best animal?{\n=Frog#Good!\n=%50%Cat#Meh\n####[html]Here is some general feedback!\n}")
    assert (q.general_feedback, q.general_feedback_format) == ("Here is some general feedback!", "html")
    assert [a.text for a in q.answers] == ["Frog", "Cat"]


def test_import_truefalse_first_feedback_is_for_the_wrong_answer():
    q = one("::Q1:: 42 is the Absolute Answer to everything.{\nFALSE#42 is the Ultimate Answer.#You gave the right answer.}")
    assert (q.qtype, q.correct) == ("truefalse", False)
    assert q.feedback_true == "42 is the Ultimate Answer."      # shown to who answered true: wrong
    assert q.feedback_false == "You gave the right answer."     # shown to who answered false: right


def test_import_truefalse_true_swaps_the_feedbacks():
    q = one("::T:: The sun rises in the east.{TRUE#No, it does.#Yes!####General.}")
    assert (q.correct, q.feedback_true, q.feedback_false, q.general_feedback) == (True, "Yes!", "No, it does.", "General.")


@pytest.mark.parametrize("word, correct", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_import_truefalse_words(word, correct):
    q = one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{word}}}")
    assert (q.qtype, q.name, q.text, q.correct) == ("truefalse", "2-08 TSL", "TSL is blablabla.", correct)
    assert (q.feedback_true, q.feedback_false) == ("", "")


def test_lower_case_true_is_a_short_answer_as_in_moodle():
    assert one("Is it? {true}").qtype == "shortanswer"


def test_import_backslash():
    q = one("// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert q.text == "A \\ B \\\\ C"


def test_import_pre_content_with_escaped_braces():
    q = one("::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
            "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{}")
    # Moodle's file import trims every line (readquestions), so the indentation goes.
    assert q.text == "<p>What would running the test method print?</p>\n<pre>\npublic void test() {\nmethod1();\n}\n</pre>"
    assert (q.qtype, q.text_format, q.general_feedback_format) == ("essay", "html", "html")


def test_import_question_with_tags_and_idnumber():
    q = one("// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
            "// And an idnumber: [id:myid].\n::Question name:: How are you? {}")
    assert (q.name, q.tags, q.idnumber) == ("Question name", ["tag", "other-tag"], "myid")


@pytest.mark.parametrize("comment, idnumber, tags", [
    ("", "", []),
    ("// A basic comment.", "", []),
    ("// A comment with [id:frog] <-- an idnumber.", "frog", []),
    ("// Look tags: [tag:frog] [tag:toad].", "", ["frog", "toad"]),
    ("// [tag:add] [tag:basic] [id:four]", "four", ["add", "basic"]),
    ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four", ["basic", "add"]),
    ("// Ceci n'est pas une [tag:\n\\ frog].", "", []),
    ("// [id:i\\]d].", "i]d", []),
    ("// [tag:t\\]ag].", "", ["t]ag"]),
])
def test_extract_idnumber_and_tags_from_comment(comment, idnumber, tags):
    assert gift_text._id_and_tags(comment) == (idnumber, tags)


# --- Moodle's export tests: same GIFT text (without Moodle's "// question: id" header) --------

def mc(answers, single=True, **kw):
    return Question("multichoice", name="Q8", text="What's between orange and green in the spectrum?",
                    single=single, answers=answers, **kw)


def test_dump_multichoice_like_moodle():
    q = mc([Answer("yellow", 1, "right; good!"), Answer("red", 0, "wrong, it's yellow", feedback_format="html"),
            Answer("blue", 0, "wrong, it's yellow", text_format="plain")])
    assert dump([q]) == ("::Q8::What's between orange and green in the spectrum?{\n\t=yellow#right; good!\n"
                         "\t~red#[html]wrong, it's yellow\n\t~[plain]blue#wrong, it's yellow\n}\n")


def test_dump_multichoice_multi_tricky_like_moodle():
    q = mc([Answer("yellow", 1, "right; good!"), Answer("red", -0.5, "wrong, it's yellow"),
            Answer("blue", -0.5, "wrong, it's yellow")], single=False)
    assert dump([q]).splitlines()[1:4] == ["\t~%100%yellow#right; good!", "\t~%-50%red#wrong, it's yellow",
                                           "\t~%-50%blue#wrong, it's yellow"]


def test_dump_truefalse_like_moodle():
    q = Question("truefalse", name="Q1", text="42 is the Absolute Answer to everything.", correct=True,
                 feedback_true="You gave the right answer.", feedback_false="42 is the Ultimate Answer.",
                 feedback_false_format="html")
    assert dump([q]) == ("::Q1::42 is the Absolute Answer to everything.{TRUE#[html]42 is the Ultimate Answer."
                         "#You gave the right answer.}\n")


def test_dump_shortanswer_with_general_feedback_like_moodle():
    q = Question("shortanswer", name="Shortanswer", text="Which is the best animal?",
                 general_feedback="Here is some general feedback!", general_feedback_format="html",
                 answers=[Answer("Frog", 1, "Good!"), Answer("Cat", 0.5, "What is it with Moodlers and cats?"),
                          Answer("*", 0, "Completely wrong")])
    assert dump([q]) == ("::Shortanswer::Which is the best animal?{\n\t=%100%Frog#Good!\n"
                         "\t=%50%Cat#What is it with Moodlers and cats?\n\t=%0%*#Completely wrong\n"
                         "\t####[html]Here is some general feedback!\n}\n")


def test_dump_numerical_like_moodle():
    q = Question("numerical", name="Q5", text="What is a number from 1 to 5?",
                 answers=[Answer(value=3, tolerance=2, fraction=1), Answer(feedback="Completely wrong")])
    # Moodle also writes an empty '#' after "3:2"; both read back the same.
    assert dump([q]) == "::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2\n\t~#Completely wrong\n}\n"


def test_dump_match_and_essay_and_backslash_like_moodle():
    match = Question("match", name="Moodle activities", text="Match the <b>activity</b> to the description.",
                     text_format="html", answers=[
                         Answer('<div class="frog">An activity.</div>', text_format="html", match_text="Forum"),
                         Answer("A teacher asks.", text_format="moodle", match_text="Choice"),
                         Answer("", text_format="html", match_text="Chat")])
    assert dump([match]).splitlines() == [
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{",
        '\t=<div class\\="frog">An activity.</div> -> Forum', "\t=[moodle]A teacher asks. -> Choice",
        "\t= -> Chat", "}"]
    backslash = Question("essay", name="backslash", text="A \\ B \\\\ C")
    assert dump([backslash]) == "::backslash::A \\\\ B \\\\\\\\ C{}\n"


# --- Missing word, numerical forms, escapes, comments, formats, names --------------------------

def test_missing_word_in_the_middle():
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert (q.text, q.blank, q.is_missing_word) == ("Grant is _____ in Grant's tomb.", 9, True)
    assert (q.text_before, q.text_after) == ("Grant is ", " in Grant's tomb.")


def test_missing_word_at_the_start_and_answers_at_the_end():
    assert one("{=Two =2} plus two equals four.").text == "_____ plus two equals four."
    q = one("Who's buried in Grant's tomb?{=no one =nobody}")
    assert (q.text, q.blank, q.text_before, q.text_after) == ("Who's buried in Grant's tomb?", None,
                                                              "Who's buried in Grant's tomb?", "")


def test_missing_word_keeps_the_blank_offset_after_a_format_tag():
    q = one("::n::[markdown]**Grant** is {=entombed ~buried} there.")
    assert q.text == "**Grant** is _____ there." and q.text[q.blank:q.blank + 5] == "_____"


@pytest.mark.parametrize("block, expected", [
    ("{#3.14:0.01}", [(3.14, 0.01, 1.0)]),
    ("{#1..5}", [(3.0, 2.0, 1.0)]),
    ("{#-5..-1}", [(-3.0, 2.0, 1.0)]),
    ("{#1822}", [(1822.0, 0.0, 1.0)]),
    ("{#1e3:10}", [(1000.0, 10.0, 1.0)]),
    ("{# =2000:0 =%50%1999:1}", [(2000.0, 0.0, 1.0), (1999.0, 1.0, 0.5)]),
    ("{#\n=1822:0 #Right\n=%50%1822:2 #Close\n}", [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5)]),
])
def test_numerical_forms(block, expected):
    q = one(f"How much? {block}")
    assert q.qtype == "numerical"
    assert [(a.value, pytest.approx(a.tolerance), a.fraction) for a in q.answers] == expected


def test_numerical_range_as_moodle_converts_it():
    (answer,) = one("Pi to 3 places? {#3.141..3.142}").answers
    assert answer.value == pytest.approx(3.1415) and answer.tolerance == pytest.approx(0.0005)


def test_shortanswer_weights_and_several_accepted_answers():
    q = one("Two plus two equals {=four =4 =%50%for}.")
    assert [(a.text, a.fraction) for a in q.answers] == [("four", 1.0), ("4", 1.0), ("for", 0.5)]


def test_every_escape_in_every_part():
    q = one("::a\\:b\\{c::Q \\~ \\= \\# \\{ \\} \\: end\\nnext{\n=x \\= y\\~z#fb \\# \\{ok\\}\n~other#also}")
    assert q.name == "a:b{c"
    assert q.text == "Q ~ = # { } : end\nnext"
    assert (q.answers[0].text, q.answers[0].feedback) == ("x = y~z", "fb # {ok}")


def test_unknown_backslashes_stay_for_latex():
    q = one("What is \\(x^2\\) at \\[x=1\\]? {=1}")  # \( \) \[ \] are no GIFT escapes
    assert q.text == "What is \\(x^2\\) at \\[x=1\\]?"


def test_comments_are_whole_lines_only_and_do_not_split_questions():
    found = parse("// header\n\nSee http://example.com // not a comment {T}\n\n"
                  "Which?{\n// wrong ones:\n~a\n// right one:\n=b\n}")
    assert found[0].text == "See http://example.com // not a comment"
    assert [a.text for a in found[1].answers] == ["a", "b"]


def test_format_of_answers_and_feedback_follows_the_question():
    q = one("[markdown]Who is **buried**?{=no one#*excellent*\n~[html]<b>nobody</b>#[plain]fine}")
    assert (q.text, q.text_format, q.general_feedback_format) == ("Who is **buried**?", "markdown", "markdown")
    assert [(a.text, a.text_format, a.feedback_format) for a in q.answers] == [
        ("no one", "markdown", "markdown"), ("<b>nobody</b>", "html", "plain")]


def test_short_answers_are_plain_strings_moodle_drops_their_format():
    q = one("[markdown]Who?{=[html]<b>nobody</b>#[plain]fine}")
    assert (q.answers[0].text, q.answers[0].feedback_format) == ("<b>nobody</b>", "plain")


def test_an_empty_feedback_takes_the_question_format():
    q = one("[html]Sure?{TRUE#[plain]#[markdown]**yes**####[moodle]}")
    assert (q.feedback_false, q.feedback_false_format) == ("", "html")
    assert (q.feedback_true, q.feedback_true_format) == ("**yes**", "markdown")
    assert q.general_feedback_format == "html"


def test_unknown_format_tag_stays_in_the_text():
    q = one("[latex]E=mc^2? {T}")
    assert (q.text, q.text_format) == ("[latex]E=mc^2?", "moodle")


def test_default_name_is_the_start_of_the_text_without_tags():
    long = "word " * 30
    name = one(f"<p>{long}</p>{{}}").name
    assert name == ("word " * 15).strip() + "..." and len(name) <= 80
    assert one("<b>Bold</b> question?{T}").name == "Bold question?"


def test_description_and_its_mark():
    q = one("::Intro::Read the **safety** notes first.")
    assert (q.qtype, q.text, q.default_mark, q.answers) == ("description", "Read the **safety** notes first.", 0, [])
    assert one("Any text? {}").default_mark == 1


def test_categories_apply_to_the_following_questions_only():
    found = parse("Q0 {T}\n\n$CATEGORY: course/a\n\nQ1 {T}\n\nQ2 {F}\n\n$CATEGORY: course/b\n\nQ3 {T}")
    assert [q.category for q in found] == [None, "course/a", "course/a", "course/b"]


def test_category_without_blank_line_before_its_question():
    # Moodle would swallow "Q1 {T}" into the category's name; we read the question.
    (q,) = parse("$CATEGORY: top/x\nQ1 {T}")
    assert (q.category, q.text) == ("top/x", "Q1")


def test_crlf_bom_and_line_numbers():
    found = parse("\ufeff// c\r\n\r\nQ1 {T}\r\n\r\n\r\n::Q2::\r\nText {F}\r\n")
    assert [(q.name, q.line) for q in found] == [("Q1", 3), ("Q2", 6)]


# --- Errors: every problem, with path and line -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("// c\n::Q:: Text\nmore {T", "quiz.gift:3: '{' has no matching '}'"),
    ("Text T}", "quiz.gift:1: '}' has no matching '{'"),
    ("Text {~a\n~b {c}", "quiz.gift:2: '{' inside an answer block"),
    ("Q1 {T}\nQ2 {F}", "quiz.gift:2: a second answer block"),
    ("Pick {~a}", "quiz.gift:1: multiple choice needs at least 2 answers, found 1"),
    ("Pick {~%50%a ~b ~c}", "quiz.gift:1: with several right answers (no '=') the positive weights must add up to 100%, not 50%"),
    ("Pick {\n~a\n=%50%b\n}", "quiz.gift:3: '=' marks the 100% answer"),
    ("Say {=%50%half}", "quiz.gift:1: one answer must be worth 100% (the best is worth 50%)"),
    ("Pick {~%150%a =b}", "quiz.gift:1: weight 150% is outside -100%..100%"),
    ("Say {=yes =%-50%no}", "quiz.gift:1: weight -50% is outside 0%..100%"),
    ("Say {=a =}", "quiz.gift:1: an accepted answer is empty"),
    ("How much? {#\n=12\n=abc}", "quiz.gift:3: 'abc' is not a number"),
    ("How much? {#5..1}", "quiz.gift:1: '5..1' is not a range min..max of numbers"),
    ("How much? {#3:-1}", "quiz.gift:1: '3:-1' is not a number:tolerance (tolerance >= 0)"),
    ("How much? {#}", "quiz.gift:1: a numerical question needs at least one number"),
    ("Match {=a -> 1 =b -> 2}", "quiz.gift:1: matching needs at least 2 questions and 3 answers (found 2 and 2)"),
    ("Match {\n=a -> 1\n=b -> 2\n=c 3\n}", "quiz.gift:4: a matching pair needs '->': 'c 3'"),
    ("Match {=a -> 1 =b -> 2 =c ->}", "quiz.gift:1: 'c' has no answer to match"),
    ("$CATEGORY:   ", "quiz.gift:1: $CATEGORY: needs a category path"),
    ("Odd \ufdd0 text {T}", "quiz.gift:1: the text contains a Unicode noncharacter"),
])
def test_error_messages_have_path_and_line(text, expected):
    errors = errors_of(text)
    assert any(e.startswith(expected) for e in errors), errors


def test_all_errors_are_reported_at_once_and_good_questions_kept():
    text = "Good {T}\n\nBad one {~a}\n\n::Q3::\nAlso {#x}\n\nFine {=yes}\n\n::Q5:: broken {T"
    with pytest.raises(GiftError) as caught:
        parse(text, "m.gift")
    assert isinstance(caught.value, ValueError)
    assert [e.split(": ")[0] for e in caught.value.errors] == ["m.gift:3", "m.gift:6", "m.gift:10"]
    assert "multiple choice needs at least 2 answers" in caught.value.errors[0]
    assert [q.text for q in caught.value.questions] == ["Good", "Fine"]
    assert str(caught.value) == "\n".join(caught.value.errors)


# --- Round trip: dump -> parse gives equal questions --------------------------------------------

@needs_fixtures
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_round_trip_of_every_fixture_question(path):
    original = parse(path.read_text(encoding="utf-8"), str(path))
    written = dump(original)
    again = parse(written, "dumped.gift")
    assert again == original
    assert dump(again) == written  # and writing is stable


HAND_WRITTEN = [
    Question("multichoice", name="Tag-like text", text="[html] is a tag, {braces}, # and = and ~ and :",
             answers=[Answer("[plain]literal", 1), Answer("%50% off", 0), Answer("b\\nc \\", 0)]),
    Question("multichoice", name="Percent first", text="Sale?", answers=[Answer("%5 off", 1), Answer("none", 0)]),
    Question("multichoice", name="Multi", text="Pick", single=False, answers=[
        Answer("a", 1 / 3), Answer("b", 0.6666667), Answer("c", -1, "no", feedback_format="html")]),
    Question("shortanswer", name="Blank at the very end", text="Complete: _____", blank=10,
             answers=[Answer("[html]x", 1), Answer("*", 0, "")]),
    Question("shortanswer", name="a::b:c", text="Line one\nline two\twith tab", text_format="markdown",
             general_feedback="<b>gf</b>", general_feedback_format="html", answers=[Answer("é * \\*", 1, "#1")]),
    Question("numerical", name="Catch-all in the middle", text="N?", answers=[
        Answer(value=1.5, tolerance=0.25, fraction=1), Answer(fraction=0.5, feedback="any"),
        Answer(value=-2e-7, tolerance=0, fraction=0.1)]),
    Question("truefalse", name="Right feedback only", text="T?", correct=False, feedback_false="[html]yes"),
    Question("truefalse", name="Formats", text="T?", text_format="html", feedback_true="**ok**",
             feedback_true_format="markdown", feedback_false="no", feedback_false_format="html",
             general_feedback="gf", general_feedback_format="plain"),
    Question("essay", name="Empty html text", text="", text_format="html", general_feedback_format="html"),
    Question("essay", name="Markdown paragraphs", text="First.\n\n  - indented item\n// not a comment",
             text_format="markdown", general_feedback="Line\n\nbreaks", general_feedback_format="markdown"),
    Question("match", name="Match", text="Pair them", text_format="html", general_feedback_format="html", answers=[
        Answer("1 = one", match_text="uno -> 1"), Answer("2", text_format="plain", match_text="due"),
        Answer("", text_format="html", match_text="tre {3}")]),
    Question("essay", name="Essay", text="", general_feedback="Model answer: {x}", category="a\\b/c:d",
             idnumber="id]1", tags=["t]a", "b c"]),
    Question("description", name="Desc", text="Just text, with # = ~ : and \\ inside.", category="a\\b/c:d"),
]


@pytest.mark.parametrize("question", HAND_WRITTEN, ids=lambda q: q.name)
def test_round_trip_of_hand_written_questions(question):
    assert questions.validate(question) == []
    (again,) = parse(dump([question]))
    assert again == question


def test_dump_writes_categories_only_when_they_change_and_can_leave_them_out():
    qs = [Question("essay", name=n, text=n, category=c) for n, c in (("a", "x"), ("b", "x"), ("c", "y"))]
    text = dump(qs)
    assert text.count("$CATEGORY:") == 2 and parse(text) == qs
    assert "$CATEGORY" not in dump(qs, with_categories=False)


def test_dump_refuses_what_gift_cannot_say():
    with pytest.raises(ValueError):
        dump([Question("essay", name="a", text="a", category="x"), Question("essay", name="b", text="b")])
    with pytest.raises(ValueError):
        dump([Question("match", name="m", text="m", answers=[Answer("a -> b", match_text="c")])])
    with pytest.raises(ValueError):
        dump([Question("essay", name="e", text="e", tags=["bad\ntag"])])
