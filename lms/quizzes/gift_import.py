"""GIFT text -> a course's quizzes (the CLI's `import-gift`; the trainer's import page can use it too).

The text goes into one quiz (a module's, or the final quiz), replacing its questions (store.replace_questions:
unchanged questions keep their rows). With no target, the text must be a whole-course file as
`export-gift` writes it: every question under a `$CATEGORY: <course-slug>/<module-slug>` line (or
`<course-slug>/final`), and each group goes to that quiz. Everything is checked before anything is written.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from lms.courses.models import Module
from lms.extensions import db
from lms.quizzes import store
from lms.quizzes.gift_export import FINAL_CATEGORY
from lms.quizzes.loader import parse_gift
from lms.quizzes.questions import Question


class ImportRefused(ValueError):
    """The text cannot be imported; ``errors`` lists every reason as `path:line: message`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


def find_module(course, slug: str) -> Module | None:
    """The course's live module named ``slug``."""
    module = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == slug))
    return module if module is not None and module.archived_at is None else None


def _by_category(course, questions: list[Question], where: str) -> dict:
    """{module or None (final): [questions]} from `$CATEGORY: <course-slug>/<module-slug>` lines."""
    groups: dict = {}
    errors = []
    prefix = f"{course.slug}/"
    for question in questions:
        category = (question.category or "").strip().strip("/")
        if not category.startswith(prefix):
            errors.append(f"{where}:{question.line or 1}: without --module or --final every question must sit "
                          f"under '$CATEGORY: {course.slug}/<module-slug>' (found {category or 'no category'!r})")
            continue
        name = category[len(prefix):]
        target = None if name == FINAL_CATEGORY else find_module(course, name)
        if name != FINAL_CATEGORY and target is None:
            errors.append(f"{where}:{question.line or 1}: the course has no module '{name}'")
            continue
        question.category = None  # the category only said where the question goes
        groups.setdefault(target, []).append(question)
    if errors:
        raise ImportRefused(errors)
    return groups


def import_gift_text(course, text: str, where: str, now: datetime, *, module=None, final: bool = False,
                     from_browser: bool = True) -> list[tuple[object, store.ImportResult]]:
    """Import GIFT ``text`` (named ``where`` in messages) into the course's quizzes; [(quiz, result)].

    ``module`` (a Module) or ``final`` picks one quiz; neither reads the text's categories (see the module
    docstring). Flushes, the caller commits. :raise ImportRefused: a parse error or a wrong category.
    """
    questions, errors = parse_gift(text, where)
    if errors:
        raise ImportRefused(errors)
    if module is not None or final:
        groups = {module if not final else None: questions}
    else:
        groups = _by_category(course, questions, where)
        if not groups:
            raise ImportRefused([f"{where}:1: no questions found"])
    results = []
    for target, items in groups.items():
        quiz = store.get_or_create_quiz(course, target)
        try:
            results.append((quiz, store.replace_questions(quiz, items, now, from_browser=from_browser)))
        except store.QuizError as exc:
            raise ImportRefused([f"{where}:1: {exc}"]) from exc
    return results
