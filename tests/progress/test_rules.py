"""The completion and attention rules, on plain values."""
from datetime import timedelta

from lms.progress import rules
from lms.progress.rules import CourseRequirements, LearnerFacts
from tests.support import NOW

T1, T2, T3 = (NOW - timedelta(days=d) for d in (3, 2, 1))


def test_a_module_is_complete_when_marked_or_its_quiz_passed():
    assert rules.module_is_complete(T1, None)
    assert rules.module_is_complete(None, T1)
    assert not rules.module_is_complete(None, None)


def test_course_complete_when_every_required_module_is_done_dated_by_the_last():
    req = CourseRequirements(frozenset({1, 2}))
    assert rules.completion_time(req, LearnerFacts({1: T1}), NOW) is None
    assert rules.completion_time(req, LearnerFacts({1: T2, 2: T1}), NOW) == T2


def test_the_final_quiz_and_the_lab_are_needed_when_the_course_has_them():
    req = CourseRequirements(frozenset({1}), final_quiz_id=9, lab_slug="cobot-cell")
    modules = {1: T1}
    assert rules.completion_time(req, LearnerFacts(modules), NOW) is None
    assert rules.completion_time(req, LearnerFacts(modules, final_passed_at=T2), NOW) is None
    assert rules.completion_time(req, LearnerFacts(modules, final_passed_at=T2, lab_attended_at=T3), NOW) == T3


def test_optional_modules_are_not_required_and_an_empty_course_is_never_complete():
    assert rules.completion_time(CourseRequirements(frozenset()), LearnerFacts({5: T1}), NOW) is None
    assert rules.completion_time(CourseRequirements(frozenset({1})), LearnerFacts({1: T1, 5: T3}), NOW) == T1


def test_a_completion_time_is_never_in_the_future():
    later = NOW + timedelta(hours=1)
    assert rules.completion_time(CourseRequirements(frozenset({1})), LearnerFacts({1: later}), NOW) == NOW


def test_percent_rounds_down():
    assert rules.percent(2, 3) == 66
    assert rules.percent(3, 3) == 100
    assert rules.percent(0, 0) == 0


def test_attention_reasons():
    old = NOW - timedelta(days=30)
    assert rules.needs_attention(last_activity=old, best_score=None, attempts=0, no_shows=0, completed=False,
                                 now=NOW) == ["inactive"]
    assert rules.needs_attention(last_activity=old, best_score=None, attempts=0, no_shows=0, completed=True,
                                 now=NOW) == []
    assert rules.needs_attention(last_activity=NOW, best_score=0.4, attempts=2, no_shows=1, completed=False,
                                 now=NOW) == ["failing", "no_show"]
    assert rules.needs_attention(last_activity=None, best_score=None, attempts=0, no_shows=0, completed=False,
                                 now=NOW, inactive_days=7) == ["inactive"]


def test_codes_are_readable_and_normalised_from_what_people_type():
    code = rules.new_code()
    assert len(code) == 12 and set(code) <= set(rules.CODE_ALPHABET)
    assert rules.normalise_code(" " + rules.format_code(code).lower() + " ") == code
    assert rules.normalise_code("0000-0000-0000") == ""  # 0 is not in the alphabet
    assert rules.normalise_code("ABC") == ""
    assert rules.normalise_code("A\x00" * 100) == ""


def test_spreadsheet_cells_that_could_be_formulas_are_neutralised():
    for hostile in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", " =HYPERLINK(\"x\")"):
        assert rules.neutralise_cell(hostile).startswith("'")
    assert rules.neutralise_cell("Anna Rossi") == "Anna Rossi"
    assert rules.neutralise_cell(-3) == -3
    assert rules.neutralise_cell(None) is None
