"""What the quiz pages show: an attempt's questions in its stored order, form answers, and the review after.

The take page is built only from questions.public_view(), in the attempt's layout: no fraction, feedback,
right answer or accepted text reaches the browser before submission. Texts go through lms.render.render in
their own GIFT format (moodle, html, plain, markdown).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import bindparam, select

from lms.quizzes import store
from lms.quizzes.models import Attempt, QuizQuestion, Response
from lms.quizzes.qtypes import FULL_MARK, QUESTION_TYPES, match_stems
from lms.quizzes.questions import BLANK, Question, public_view
from lms.render import render

PER_PAGE = 10
_ONE_PARAGRAPH = re.compile(r"^\s*<p>(.*)</p>\s*$", re.S)


def inline(text: str, fmt: str) -> Markup:
    """``text`` rendered for use inside a sentence or a label: one paragraph loses its <p>."""
    html = str(render(text, fmt))
    match = _ONE_PARAGRAPH.match(html)
    if match and "<p>" not in match.group(1):
        html = match.group(1)
    return Markup(html)  # nosec B704 - render()'s sanitised output, or the inside of its one paragraph


@dataclass
class Shown:
    """One question of an attempt as the take page shows it."""

    number: int  # 1-based, in the attempt's order (descriptions are not numbered: 0)
    row: QuizQuestion
    view: dict  # public_view() reordered by the layout
    text: Markup | None = None  # the rendered text (ordinary questions)
    before: Markup | None = None  # missing word: the text around the blank
    after: Markup | None = None
    choices: list[dict] = field(default_factory=list)  # [{index, html}]
    stems: list[dict] = field(default_factory=list)
    answer: Any = None

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def qtype(self) -> str:
        return self.row.qtype

    @property
    def field(self) -> str:
        return f"q{self.row.id}"

    @property
    def is_answered(self) -> bool:
        return is_answered(self.answer)


def is_answered(answer: Any) -> bool:
    return answer not in (None, "", [], {})


def _ordered(items: list[dict], order: list[int] | None) -> list[dict]:
    if not order:
        return items
    by_index = {item["index"]: item for item in items}
    ordered = [by_index[i] for i in order if i in by_index]
    return ordered + [item for item in items if item["index"] not in set(order)]


def shown_question(row: QuizQuestion, attempt: Attempt, number: int, answer: Any = None) -> Shown:
    """The learner's view of ``row`` in ``attempt``: its public view, choices in the attempt's order."""
    question = store.question_of(row)
    view = public_view(question)
    layout = attempt.layout or {}
    key = str(row.id)
    if "choices" in view:
        view["choices"] = _ordered(view["choices"], layout.get("choices", {}).get(key))
    if "stems" in view:
        view["stems"] = _ordered(view["stems"], layout.get("stems", {}).get(key))
    shown = Shown(number, row, view, answer=answer)
    if view.get("blank") is not None:
        text = view["text"]
        shown.before = inline(text[:view["blank"]], view["text_format"])
        shown.after = inline(text[view["blank"] + len(BLANK):], view["text_format"])
    else:
        shown.text = render(view["text"], view["text_format"])
    shown.choices = [{"index": c["index"], "html": inline(c["text"], c["format"])} for c in view.get("choices", [])]
    shown.stems = [{"index": s["index"], "html": inline(s["text"], s["format"])} for s in view.get("stems", [])]
    return shown


def layout_rows(attempt: Attempt) -> list[QuizQuestion]:
    """The attempt's questions in its order (archived ones included: the attempt keeps what it showed)."""
    from lms.extensions import db

    ids = (attempt.layout or {}).get("questions", [])
    rows = {row.id: row for row in db.session.scalars(db.select(QuizQuestion).where(QuizQuestion.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def responses_of(attempt: Attempt) -> dict[int, Response]:
    return {r.question_id: r for r in attempt.responses}


_QUESTION, _RESPONSE = QuizQuestion.__table__, Response.__table__
# The attempt's questions (what the page shows of them: id, type, data) with the answers saved so far, as plain
# rows: no ORM objects, which were most of this read's cost on every question page. Built once.
_QUESTIONS_WITH_ANSWERS = (
    select(_QUESTION.c.id, _QUESTION.c.qtype, _QUESTION.c.data, _RESPONSE.c.answer)
    .outerjoin(_RESPONSE, (_RESPONSE.c.question_id == _QUESTION.c.id)
               & (_RESPONSE.c.attempt_id == bindparam("attempt_id")))
    .where(_QUESTION.c.id.in_(bindparam("ids", expanding=True)))
)


def _with_answers(attempt: Attempt) -> list[tuple[Any, Any]]:
    """[(row, saved answer or None)] in the attempt's order, read in one statement: the question rows (``id``,
    ``qtype``, ``data``, as store.question_of reads them) with the answers saved so far (as stored now,
    including those this request saved)."""
    from lms.extensions import db

    ids = (attempt.layout or {}).get("questions", [])
    if not ids:
        return []
    found = {row.id: (row, row.answer)
             for row in db.session.execute(_QUESTIONS_WITH_ANSWERS, {"attempt_id": attempt.id, "ids": ids})}
    return [found[i] for i in ids if i in found]


def _numbered(attempt: Attempt) -> list[tuple[QuizQuestion, int, Any]]:
    """[(row, number, saved answer or None)] in the attempt's order; descriptions get number 0."""
    rows, number = [], 0
    for row, answer in _with_answers(attempt):
        gradable = QUESTION_TYPES[row.qtype].gradable
        number += 1 if gradable else 0
        rows.append((row, number if gradable else 0, answer))
    return rows


def attempt_questions(attempt: Attempt) -> list[Shown]:
    """Every question of the attempt, numbered (descriptions get no number), with the saved answers."""
    return [shown_question(row, attempt, number, answer) for row, number, answer in _numbered(attempt)]


def attempt_page(attempt: Attempt, page: int) -> tuple[Page, int, int]:
    """(one page of the attempt's questions as the take page shows them, how many questions are numbered, how
    many of those are answered): only the page's questions are rendered, the counts cover every page."""
    rows = _numbered(attempt)
    chosen = paginate(rows, page)
    chosen.items = [shown_question(row, attempt, number, answer) for row, number, answer in chosen.items]
    numbered = [answer for _row, number, answer in rows if number]
    return chosen, len(numbered), sum(1 for answer in numbered if is_answered(answer))


@dataclass
class Page:
    number: int
    pages: int
    items: list[Shown]

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(items: list, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of questions (all of them on one page up to ``per_page``); ``page`` is clamped."""
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(max(1, page), pages)
    return Page(page, pages, items[(page - 1) * per_page:page * per_page])


# Form posts (the page without JavaScript) -------------------------------------------------------------------

def answers_from_form(rows: list[QuizQuestion], form) -> dict[int, Any]:
    """{question id: answer} from a posted quiz page, for the questions it showed (``rows``).

    Raw values are passed on as they are (attempts.clean_answer checks them). A radio group left empty is not
    an answer (nothing to save); an empty set of checkboxes clears the answer.
    """
    answers: dict[int, Any] = {}
    for row in rows:
        name = f"q{row.id}"
        question = store.question_of(row)
        if row.qtype == "multichoice" and not question.single:
            answers[row.id] = form.getlist(name)
        elif row.qtype == "match":
            answers[row.id] = {key[len(name) + 2:]: value for key, value in form.items()
                               if key.startswith(name + "_s") and value != ""}
        elif name not in form:
            continue
        elif row.qtype == "truefalse":
            value = form[name]
            answers[row.id] = {"true": True, "false": False}.get(value, value)
        else:
            answers[row.id] = form[name]
    return answers


# After submission -------------------------------------------------------------------------------------------

@dataclass
class Reviewed:
    """One question on the result page."""

    shown: Shown
    response: Response | None
    your_answer: list[Markup]  # readable lines
    fraction: float | None
    counted: bool
    feedback: list[Markup] = field(default_factory=list)
    general_feedback: Markup | None = None
    right_answers: list[Markup] = field(default_factory=list)
    comment: str = ""

    @property
    def state(self) -> str:
        """"correct", "partial", "wrong", "pending" (an essay to grade) or "none" (a description)."""
        if self.shown.number == 0:
            return "none"
        if self.response is not None and self.response.needs_manual:
            return "pending"
        if not self.fraction:
            return "wrong"
        return "correct" if self.fraction > FULL_MARK else "partial"


def _your_answer(question: Question, shown: Shown, answer: Any) -> list[Markup]:
    if answer in (None, "", [], {}):
        return []
    qtype = question.qtype
    if qtype == "multichoice":
        picked = answer if isinstance(answer, list) else [answer]
        by_index = {c["index"]: c["html"] for c in shown.choices}
        return [by_index.get(int(i), Markup("?")) for i in picked]
    if qtype == "truefalse":
        from flask_babel import gettext

        return [Markup.escape(gettext("True") if answer else gettext("False"))]
    if qtype == "match" and isinstance(answer, dict):
        stems = {s["index"]: s["html"] for s in shown.stems}
        choices = {c["index"]: c["html"] for c in shown.choices}
        return [Markup("{} → {}").format(stems.get(int(k), "?"), choices.get(int(v), "?"))
                for k, v in sorted(answer.items(), key=lambda kv: int(kv[0]))]
    return [Markup.escape(str(answer))]


def _right_answers(question: Question) -> list[Markup]:
    qtype = question.qtype
    if qtype == "multichoice":
        return [inline(a.text, a.text_format) for a in question.answers if a.fraction > 0]
    if qtype == "truefalse":
        from flask_babel import gettext

        return [Markup.escape(gettext("True") if question.correct else gettext("False"))]
    if qtype == "shortanswer":
        return [Markup.escape(a.text) for a in question.answers if a.fraction > FULL_MARK]
    if qtype == "numerical":
        from lms.quizzes.editing import number_text

        return [Markup.escape(number_text(a.value) + (f" ± {number_text(a.tolerance)}" if a.tolerance else ""))
                for a in question.answers if a.value is not None and a.fraction > FULL_MARK]
    if qtype == "match":
        return [Markup("{} → {}").format(inline(s.text, s.text_format), s.match_text) for s in match_stems(question)]
    return []


def review(attempt: Attempt, show_feedback: bool) -> list[Reviewed]:
    """The result page's questions. Right answers and feedback only when ``show_feedback``."""
    from lms.quizzes.attempts import is_counted

    saved = responses_of(attempt)
    reviewed = []
    for shown in attempt_questions(attempt):
        question = store.question_of(shown.row)
        response = saved.get(shown.id)
        counted = response is None or is_counted(response, attempt)
        item = Reviewed(shown, response, _your_answer(question, shown, shown.answer),
                        response.fraction if response is not None and counted else None, counted,
                        comment=response.grader_comment if response is not None else "")
        if show_feedback and shown.number:
            if response is not None and counted and response.answer is not None:
                try:
                    grade = question.grade(response.answer)
                except ValueError:
                    grade = None
                if grade is not None:
                    item.feedback = [inline(text, fmt) for text, fmt in zip(grade.feedback, grade.feedback_formats,
                                                                            strict=False)]
            if question.general_feedback:
                item.general_feedback = render(question.general_feedback, question.general_feedback_format)
            item.right_answers = _right_answers(question)
        reviewed.append(item)
    return reviewed
