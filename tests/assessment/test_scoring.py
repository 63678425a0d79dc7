"""The scoring rules, without HTTP or a database."""
from datetime import UTC, datetime, timedelta

import pytest

from lms.assessment import scoring
from lms.assessment.scoring import DONT_KNOW

DIMS = {"strategy": ["s1", "s2", "s3", "s4"], "people": ["p1", "p2"], "data": ["d1", "d2"]}


def test_a_dimension_is_the_mean_of_its_known_answers():
    scores = scoring.score_answers(DIMS, {"s1": 1, "s2": 2, "s3": 4, "s4": 5, "p1": 0, "p2": 1, "d1": 3, "d2": 3})
    assert scores["strategy"].score == 3.0 and scores["people"].score == 0.5 and scores["data"].score == 3.0
    assert scoring.overall({k: v.score for k, v in scores.items()}) == 2.17


def test_dont_know_is_left_out_of_the_mean_and_counted():
    scores = scoring.score_answers(DIMS, {"s1": 4, "s2": DONT_KNOW, "s3": DONT_KNOW, "s4": 2})
    assert scores["strategy"].score == 3.0  # not (4 + 0 + 0 + 2) / 4
    assert (scores["strategy"].known, scores["strategy"].dont_know, scores["strategy"].blank) == (2, 2, 0)
    assert not scores["strategy"].is_uncertain  # half known is enough
    only_dk = scoring.score_answers(DIMS, {"p1": DONT_KNOW, "p2": DONT_KNOW})
    assert only_dk["people"].score is None and only_dk["people"].is_uncertain


def test_partial_answers_score_what_was_answered():
    scores = scoring.score_answers(DIMS, {"s1": 5})
    assert scores["strategy"].score == 5.0 and scores["strategy"].blank == 3 and scores["strategy"].is_uncertain
    assert scores["people"].score is None and scores["data"].score is None
    assert scoring.overall({k: v.score for k, v in scores.items()}) == 5.0  # unscored dimensions do not count as 0


def test_nothing_answered_has_no_overall_and_no_stage():
    scores = scoring.score_answers(DIMS, {})
    assert scoring.overall({k: v.score for k, v in scores.items()}) is None
    assert scoring.stage_of(None) is None


@pytest.mark.parametrize("score, stage", [(0, 0), (0.99, 0), (1, 1), (2.5, 2), (3.999, 3), (4.0, 4), (5, 5)])
def test_a_stage_is_reached_when_its_level_is_reached_on_average(score, stage):
    assert scoring.stage_of(score) == stage


def test_strengths_and_priorities_never_overlap_and_unknown_comes_first():
    scores = {"a": 4.0, "b": None, "c": 1.0, "d": 3.0, "e": 2.0, "f": 4.5}
    strengths, priorities = scoring.strengths_and_priorities(scores)
    assert priorities == ["b", "c", "e"]  # nobody knew "b": the first gap to close
    assert strengths == ["f", "a", "d"]
    few_strengths, few_priorities = scoring.strengths_and_priorities({"a": 2.0, "b": 3.0})
    assert few_priorities == ["a", "b"] and few_strengths == []


def test_ties_keep_the_questionnaire_order():
    strengths, priorities = scoring.strengths_and_priorities({"a": 2.0, "b": 2.0, "c": 2.0, "d": 2.0})
    assert priorities == ["a", "b", "c"] and strengths == ["d"]


def test_a_team_of_one_has_scores_but_no_spread():
    team = scoring.team_result(DIMS, [{"s1": 2, "s2": 4, "p1": 3}])
    assert team.respondents == 1
    assert team.dimensions["strategy"].mean == 3.0 and team.dimensions["strategy"].spread is None
    assert not team.dimensions["strategy"].is_disputed and team.disputed_questions == []
    assert team.dimensions["data"].mean is None and team.dimensions["data"].people == 0


def test_a_team_averages_people_not_answers_and_shows_the_spread():
    owner = {"s1": 5, "s2": 5, "s3": 5, "s4": 5, "d1": 4, "d2": DONT_KNOW}
    production = {"s1": 1, "d1": 1, "d2": 2}
    it = {"s1": DONT_KNOW, "s2": DONT_KNOW, "d1": 3, "d2": 3}
    team = scoring.team_result(DIMS, [owner, production, it])
    strategy = team.dimensions["strategy"]
    assert strategy.mean == 3.0  # (5 + 1) / 2 people with a score, not (5*4 + 1) / 5 answers
    assert (strategy.low, strategy.high, strategy.spread, strategy.people) == (1, 5, 4, 2)
    assert strategy.is_disputed and strategy.dont_know == 2
    assert team.dimensions["data"].mean == round((4 + 1.5 + 3) / 3, 2)
    assert team.disputed_questions[0] == ("s1", 1, 5)  # the widest gap first
    assert ("d1", 1, 4) in team.disputed_questions
    assert team.stage == scoring.stage_of(team.overall)


def test_an_empty_team_has_no_result():
    team = scoring.team_result(DIMS, [])
    assert team.respondents == 0 and team.overall is None and team.stage is None


def test_answers_are_cleaned_and_bad_ones_refused():
    assert scoring.clean_answers(["s1", "s2", "s3"], {"s1": "3", "s2": DONT_KNOW, "s3": None}) == {"s1": 3, "s2": "dk"}
    for bad in (6, -1, "7", "x", 2.5, True, [1], {"a": 1}, "\x00"):
        with pytest.raises(scoring.AnswerError):
            scoring.clean_answer(bad)
    with pytest.raises(scoring.AnswerError):
        scoring.clean_answers(["s1"], {"nope": 1})
    with pytest.raises(scoring.AnswerError):
        scoring.clean_answers(["s1"], ["s1"])


def test_changes_between_rounds():
    assert scoring.changes({"a": 1.0, "b": None, "c": 2.0}, {"a": 2.5, "b": 3.0, "c": 1.5}) == {
        "a": 1.5, "b": None, "c": -0.5}


def test_a_repeat_is_possible_six_months_after_the_first_submission():
    first = datetime(2026, 1, 10, 9, tzinfo=UTC)
    assert not scoring.can_repeat(first, first + timedelta(days=181))
    assert scoring.can_repeat(first, first + timedelta(days=182))
    assert not scoring.can_repeat(None, first)


def test_the_benchmark_needs_five_firms_and_drops_thin_dimensions():
    peers = [{"a": 1.0, "b": 2.0}, {"a": 2.0, "b": None}, {"a": 3.0, "b": 2.0}, {"a": 4.0, "b": 4.0}]
    assert scoring.benchmark(peers) is None  # four firms: never shown
    peers.append({"a": 5.0, "b": 3.0})
    result = scoring.benchmark(peers)
    assert result["a"].mean == 3.0 and (result["a"].q1, result["a"].q3) == (2.0, 4.0) and result["a"].firms == 5
    assert "b" not in result  # only four firms have a score for b


def test_distribution_counts_firms_per_stage():
    counts = scoring.distribution([{"a": 1.5, "b": None}, {"a": 1.9, "b": 4.2}, {"a": 5.0, "b": 0.0}], ["a", "b"])
    assert counts == {"a": [0, 2, 0, 0, 0, 1], "b": [1, 0, 0, 0, 1, 0]}
