"""Scoring rules of the self-assessment: plain functions over plain values, no Flask, no database.

An answer is a level 0..5 or DONT_KNOW. A dimension's score is the mean of its known answers (a "don't know"
or a question left blank does not pull the score down: it lowers the confidence, which is reported). A team's
score per dimension is the mean of its members' scores, so each person weighs the same however many questions
they answered; the spread (highest minus lowest) shows where people see the firm differently.
"""
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean

DONT_KNOW = "dk"
MAX_LEVEL = 5
DISAGREEMENT = 2.0  # a spread of two levels or more between colleagues is worth discussing
QUESTION_DISAGREEMENT = 3  # on a single question: one says 1, another 4
REPEAT_AFTER = timedelta(days=182)  # six months
BENCHMARK_MINIMUM = 5


class AnswerError(ValueError):
    """An answer that is not a level 0..5 or "don't know" for a question of the questionnaire."""


def clean_answer(value):
    """A submitted value as stored: an int 0..5, DONT_KNOW, or None (cleared). AnswerError otherwise."""
    if value is None or value == "":
        return None
    if value == DONT_KNOW:
        return DONT_KNOW
    if isinstance(value, bool):
        raise AnswerError("an answer is a level from 0 to 5 or \"dk\"")
    if isinstance(value, str) and value.isdigit() and len(value) == 1:
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_LEVEL:
        return value
    raise AnswerError("an answer is a level from 0 to 5 or \"dk\"")


def clean_answers(question_slugs, raw: dict) -> dict:
    """`raw` (question slug -> value) checked against the questionnaire; cleared answers are dropped."""
    if not isinstance(raw, dict):
        raise AnswerError("answers must be an object of question -> level")
    known = set(question_slugs)
    result = {}
    for slug, value in raw.items():
        if slug not in known:
            raise AnswerError(f"unknown question: {str(slug)[:60]}")
        cleaned = clean_answer(value)
        if cleaned is not None:
            result[slug] = cleaned
    return result


@dataclass(frozen=True)
class DimensionScore:
    slug: str
    score: float | None  # None: no known answer
    known: int
    dont_know: int
    blank: int

    @property
    def total(self) -> int:
        return self.known + self.dont_know + self.blank

    @property
    def is_uncertain(self) -> bool:
        """Fewer than half the questions have a known answer: read the score with care."""
        return self.known * 2 < self.total


def score_answers(dimensions: dict[str, list[str]], answers: dict) -> dict[str, DimensionScore]:
    """One person's answers -> a score per dimension. `dimensions`: dimension slug -> its question slugs."""
    result = {}
    for slug, questions in dimensions.items():
        levels = [answers[q] for q in questions if isinstance(answers.get(q), int)]
        dont_know = sum(1 for q in questions if answers.get(q) == DONT_KNOW)
        result[slug] = DimensionScore(slug, round(mean(levels), 2) if levels else None, len(levels), dont_know,
                                      len(questions) - len(levels) - dont_know)
    return result


def overall(scores: dict[str, float | None]) -> float | None:
    """The mean of the dimensions that have a score (each dimension weighs the same)."""
    known = [s for s in scores.values() if s is not None]
    return round(mean(known), 2) if known else None


def stage_of(score: float | None) -> int | None:
    """The maturity stage 0..5 reached: a stage counts once its level is reached on average."""
    if score is None:
        return None
    return max(0, min(MAX_LEVEL, math.floor(score + 1e-9)))


def strengths_and_priorities(scores: dict[str, float | None], n: int = 3) -> tuple[list[str], list[str]]:
    """(strengths, priorities), each up to `n` dimension slugs, never the same dimension in both.

    Priorities come first: dimensions nobody could score (all "don't know") — not knowing where you stand is
    the first thing to fix — then the lowest scores. Strengths are the highest of the rest. Ties keep the
    questionnaire's order (`scores` is ordered).
    """
    order = list(scores)
    unknown = [s for s in order if scores[s] is None]
    scored = sorted((s for s in order if scores[s] is not None), key=lambda s: (scores[s], order.index(s)))
    priorities = (unknown + scored)[:n]
    rest = [s for s in scored if s not in priorities]
    strengths = sorted(rest, key=lambda s: (-scores[s], order.index(s)))[:n]
    return strengths, priorities


@dataclass(frozen=True)
class TeamDimension:
    slug: str
    mean: float | None
    low: float | None
    high: float | None
    people: int  # how many people have a score here
    dont_know: int  # "don't know" answers given, all people together

    @property
    def spread(self) -> float | None:
        """Highest minus lowest; None for fewer than two scores (a team of one has no spread)."""
        return round(self.high - self.low, 2) if self.people >= 2 else None

    @property
    def is_disputed(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


@dataclass(frozen=True)
class TeamResult:
    dimensions: dict[str, TeamDimension]
    respondents: int
    disputed_questions: list[tuple[str, int, int]] = field(default_factory=list)  # (question, low, high)

    @property
    def scores(self) -> dict[str, float | None]:
        return {slug: d.mean for slug, d in self.dimensions.items()}

    @property
    def overall(self) -> float | None:
        return overall(self.scores)

    @property
    def stage(self) -> int | None:
        return stage_of(self.overall)


def team_result(dimensions: dict[str, list[str]], responses: list[dict]) -> TeamResult:
    """Combine submitted responses (each: question -> answer). An empty list gives a result with no scores."""
    per_person = [score_answers(dimensions, answers) for answers in responses]
    result = {}
    for slug in dimensions:
        values = [p[slug].score for p in per_person if p[slug].score is not None]
        result[slug] = TeamDimension(slug, round(mean(values), 2) if values else None, min(values, default=None),
                                     max(values, default=None), len(values), sum(p[slug].dont_know for p in per_person))
    disputed = []
    for questions in dimensions.values():
        for question in questions:
            levels = [a[question] for a in responses if isinstance(a.get(question), int)]
            if len(levels) >= 2 and max(levels) - min(levels) >= QUESTION_DISAGREEMENT:
                disputed.append((question, min(levels), max(levels)))
    disputed.sort(key=lambda item: item[1] - item[2])  # widest gap first; stable for equal gaps
    return TeamResult(result, len(responses), disputed)


def changes(before: dict[str, float | None], after: dict[str, float | None]) -> dict[str, float | None]:
    """Per dimension, the change from `before` to `after` (None where either has no score)."""
    return {slug: (round(after[slug] - before[slug], 2) if after.get(slug) is not None
                   and before.get(slug) is not None else None) for slug in after}


def repeat_from(first_submitted_at: datetime | None) -> datetime | None:
    """When a repeat assessment makes sense: six months after the round's first submission."""
    return first_submitted_at + REPEAT_AFTER if first_submitted_at else None


def can_repeat(first_submitted_at: datetime | None, now: datetime) -> bool:
    due = repeat_from(first_submitted_at)
    return due is not None and now >= due


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (as spreadsheets compute quartiles)."""
    position = (len(sorted_values) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return round(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low), 2)


@dataclass(frozen=True)
class BenchmarkDimension:
    slug: str
    mean: float
    q1: float
    q3: float
    firms: int


def benchmark(peers: list[dict[str, float | None]], minimum: int = BENCHMARK_MINIMUM
              ) -> dict[str, BenchmarkDimension] | None:
    """The peers' mean and middle half per dimension, or None when fewer than `minimum` firms compare.

    A dimension is left out when fewer than `minimum` peers have a score for it, so no figure ever rests on
    fewer firms than the minimum (which is what keeps it anonymous).
    """
    if len(peers) < minimum:
        return None
    result = {}
    for slug in peers[0]:
        values = sorted(p[slug] for p in peers if p.get(slug) is not None)
        if len(values) >= minimum:
            result[slug] = BenchmarkDimension(slug, round(mean(values), 2), _quantile(values, .25),
                                              _quantile(values, .75), len(values))
    return result


def distribution(results: list[dict[str, float | None]], dimension_slugs: list[str]) -> dict[str, list[int]]:
    """Per dimension, how many firms are at each stage 0..5 (firms with no score there are not counted)."""
    counts = {slug: [0] * (MAX_LEVEL + 1) for slug in dimension_slugs}
    for scores in results:
        for slug in dimension_slugs:
            stage = stage_of(scores.get(slug))
            if stage is not None:
                counts[slug][stage] += 1
    return counts
