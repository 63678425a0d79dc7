"""A trainer's preview of a quiz as a learner sees it, and the grading of a preview submission.

The preview is built with the learner's own pieces, so it shows exactly the take page: the layout of a new
attempt (attempts.make_layout: shuffled as the quiz says, fixed by a seed so "check answers" shows the same
page), each question as taking.shown_question() shows it (from questions.public_view()), and the form read
by taking.answers_from_form() and checked by attempts.clean_answer(). Nothing here touches the database:
no attempt is started and no answer is saved.
"""
from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from lms.quizzes import store, taking
from lms.quizzes.attempts import AttemptError, clean_answer, make_layout
from lms.quizzes.models import Quiz, QuizQuestion
from lms.quizzes.qtypes import QUESTION_TYPES, Grade


def preview_layout(quiz: Quiz, seed: int) -> dict:
    """The layout a new attempt would get, drawn with ``seed`` (the same seed gives the same page)."""
    return make_layout(quiz, random.Random(seed))


def preview_rows(quiz: Quiz, layout: dict) -> list[QuizQuestion]:
    by_id = {row.id: row for row in quiz.live_questions}
    return [by_id[i] for i in layout["questions"] if i in by_id]


def shown_questions(rows: list[QuizQuestion], layout: dict, answers: dict[int, Any]) -> list[taking.Shown]:
    """The questions as the take page shows them (numbered, descriptions not), with ``answers`` filled in."""
    attempt = SimpleNamespace(layout=layout)  # shown_question only reads the layout: no attempt is made
    shown, number = [], 0
    for row in rows:
        gradable = QUESTION_TYPES[row.qtype].gradable
        number += 1 if gradable else 0
        shown.append(taking.shown_question(row, attempt, number if gradable else 0, answers.get(row.id)))
    return shown


def answers_from_form(rows: list[QuizQuestion], form) -> dict[int, Any]:
    """{question id: answer} from the posted preview, as the learner's page reads it; an answer the page
    could not have sent is left out (not answered)."""
    by_id = {row.id: row for row in rows}
    answers = {}
    for question_id, raw in taking.answers_from_form(rows, form).items():
        try:
            answers[question_id] = clean_answer(by_id[question_id], raw)
        except AttemptError:
            continue
    return answers


def grade_preview(rows: list[QuizQuestion], answers: dict[int, Any]) -> tuple[dict[int, Grade], float]:
    """{question id: Grade} for every gradable question, and the score (0..1) a submission would get."""
    grades, total = {}, 0.0
    gradable = [row for row in rows if QUESTION_TYPES[row.qtype].gradable]
    for row in gradable:
        grades[row.id] = store.question_of(row).grade(answers.get(row.id))
        total += grades[row.id].fraction
    return grades, (total / len(gradable) if gradable else 0.0)
