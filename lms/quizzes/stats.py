"""Per-question statistics of a quiz, over its submitted attempts: how many answered, how many got it right,
the average score, and how often each option was chosen.

Plain functions over the database returning plain data (dataclasses of numbers and strings); the trainer's
statistics page only lays them out. Live questions are always listed (a new one shows zeros); archived ones
only when learners answered them, under the version they answered. Descriptions have no statistics.
An essay that waits for a trainer counts as a response but not in the scores until it is graded.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.extensions import db
from lms.quizzes.editing import number_text
from lms.quizzes.models import Attempt, Quiz, QuizQuestion, Response
from lms.quizzes.questions import (
    FULL_MARK,
    InvalidResponse,
    Question,
    match_choices,
    match_stems,
    parse_number,
)

TOP_ANSWERS = 10


@dataclass
class Option:
    """One thing a learner could pick or type: ``count`` responses chose it, ``share`` of all responses
    (0..1). ``right`` says whether it earns marks (``fraction`` > 0)."""

    label: str
    count: int
    share: float
    fraction: float | None = None
    fmt: str = "plain"

    @property
    def right(self) -> bool:
        return bool(self.fraction and self.fraction > 0)

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class StemOptions:
    """For a matching question: what learners matched to one stem."""

    stem: str
    fmt: str
    options: list[Option]


@dataclass
class QuestionStats:
    """``responses`` to the question in submitted attempts, ``answered`` of them not blank, ``graded`` of
    them with a score (essays waiting for a trainer are not), ``correct_share`` and ``average`` over the
    graded ones (None when there are none)."""

    question_id: int
    position: int
    name: str
    qtype: str
    archived: bool
    responses: int = 0
    answered: int = 0
    graded: int = 0
    correct_share: float | None = None
    average: float | None = None
    options: list[Option] = field(default_factory=list)
    stems: list[StemOptions] = field(default_factory=list)

    @property
    def correct_percent(self) -> int | None:
        return None if self.correct_share is None else round(self.correct_share * 100)

    @property
    def average_percent(self) -> int | None:
        return None if self.average is None else round(self.average * 100)


def normalise_answer(text: str) -> str:
    """A typed answer as the statistics group it: NFC, trimmed, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _blank(answer) -> bool:
    return answer is None or answer == [] or answer == {} or (isinstance(answer, str) and not answer.strip())


def _index(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value if isinstance(value, int) else None


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _multichoice(question: Question, answers: list, total: int) -> list[Option]:
    counts: Counter[int] = Counter()
    for answer in answers:
        picked = answer if isinstance(answer, list) else [answer]
        counts.update({i for i in map(_index, picked) if i is not None})
    return [Option(a.text, counts[i], _share(counts[i], total), a.fraction, a.text_format)
            for i, a in enumerate(question.answers)]


def _truefalse(question: Question, answers: list, total: int) -> list[Option]:
    counts = Counter(a for a in answers if isinstance(a, bool))
    return [Option(str(label), counts[value], _share(counts[value], total), float(value == question.correct))
            for value, label in ((True, _l("True")), (False, _l("False")))]


def _typed(question: Question, answers: list, total: int) -> list[Option]:
    """The most frequent typed answers, grouped: numbers by value ("3,14" = "3.14"), texts normalised."""
    counts: Counter[str] = Counter()
    example: dict[str, object] = {}
    for answer in answers:
        if not isinstance(answer, str | int | float) or isinstance(answer, bool):
            continue
        number = parse_number(answer) if question.qtype == "numerical" else None
        key = number_text(number) if number is not None else normalise_answer(str(answer))
        counts[key] += 1
        example.setdefault(key, answer)
    options = []
    for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ANSWERS]:
        try:
            fraction = question.grade(example[key]).fraction
        except InvalidResponse:
            fraction = 0.0
        options.append(Option(key, count, _share(count, total), fraction))
    return options


def _match(question: Question, answers: list, total: int) -> list[StemOptions]:
    stems, choices = match_stems(question), match_choices(question)
    counts: list[Counter[int]] = [Counter() for _ in stems]
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        for key, value in answer.items():
            stem, choice = _index(key), _index(value)
            if stem is not None and choice is not None and stem < len(stems) and choice < len(choices):
                counts[stem][choice] += 1
    return [StemOptions(stem.text, stem.text_format,
                        [Option(text, counts[i][j], _share(counts[i][j], total),
                                float(text == stem.match_text)) for j, text in enumerate(choices)])
            for i, stem in enumerate(stems)]


def question_stats(row: QuizQuestion, responses: list[tuple]) -> QuestionStats:
    """Statistics of one question from its ``responses``: (answer, fraction, waiting_for_trainer) tuples."""
    question = Question.from_dict(row.data)
    stats = QuestionStats(row.id, row.position, row.name, row.qtype, row.archived_at is not None)
    stats.responses = total = len(responses)
    answers = [answer for answer, _fraction, _waiting in responses if not _blank(answer)]
    stats.answered = len(answers)
    scores = [fraction or 0.0 for _answer, fraction, waiting in responses if not waiting]
    stats.graded = len(scores)
    if scores:
        if question.qtype != "essay":  # an essay is graded on a scale, never simply right
            stats.correct_share = sum(1 for s in scores if s > FULL_MARK) / len(scores)
        stats.average = sum(scores) / len(scores)
    if question.qtype == "multichoice":
        stats.options = _multichoice(question, answers, total)
    elif question.qtype == "truefalse":
        stats.options = _truefalse(question, answers, total)
    elif question.qtype in ("shortanswer", "numerical"):
        stats.options = _typed(question, answers, total)
    elif question.qtype == "match":
        stats.stems = _match(question, answers, total)
    return stats


def quiz_stats(quiz: Quiz) -> list[QuestionStats]:
    """Every live question of ``quiz`` in order, then each archived one learners answered; no descriptions."""
    found = db.session.execute(
        select(Response.question_id, Response.answer, Response.fraction, Response.needs_manual, Response.graded_at)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == "submitted")
    ).all()
    by_question: dict[int, list[tuple]] = {}
    for question_id, answer, fraction, needs_manual, graded_at in found:
        by_question.setdefault(question_id, []).append((answer, fraction, needs_manual and graded_at is None))
    rows = db.session.scalars(select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id)
                              .order_by(QuizQuestion.archived_at.is_not(None), QuizQuestion.position,
                                        QuizQuestion.id)).all()
    return [question_stats(row, by_question.get(row.id, [])) for row in rows
            if row.qtype != "description" and (row.archived_at is None or row.id in by_question)]


def summary(stats: list[QuestionStats]) -> dict:
    """Totals for the page's heading: questions listed, responses, and the average score over them."""
    graded = [s for s in stats if s.average is not None]
    return {
        "questions": len(stats),
        "responses": sum(s.responses for s in stats),
        "average": sum(s.average * s.graded for s in graded) / sum(s.graded for s in graded) if graded else None,
    }
