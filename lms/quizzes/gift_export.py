"""A course's quizzes -> GIFT text: one file per quiz (what `lms content sync` reads back), or one file with
`$CATEGORY: <course-slug>/<module-slug>` lines (what Moodle imports into one category per quiz).

Only live questions are written, in their order; a quiz with none gives no file.
"""
from __future__ import annotations

from lms.courses.files import FINAL_GIFT, module_file_names
from lms.quizzes import gift, store
from lms.quizzes.questions import Question

FINAL_CATEGORY = "final"


def quiz_questions(quiz) -> list[Question]:
    return [store.question_of(row) for row in quiz.live_questions] if quiz is not None else []


def dump_questions(questions: list[Question]) -> str:
    """GIFT for ``questions``, keeping their own `$CATEGORY` lines when GIFT can say them (it cannot go back to
    no category after one: then the categories are left out)."""
    try:
        return gift.dump(questions)
    except ValueError:
        return gift.dump(questions, with_categories=False)


def _modules(course) -> list:
    modules = [m for m in course.modules if m.archived_at is None]
    return sorted(modules, key=lambda m: (m.position, m.id or 0))


def course_gift_files(course) -> dict[str, str]:
    """{"NN-<module-slug>.gift": text, ..., "final.gift": text} for the course's quizzes that have questions.
    The numbers follow the module files' (lms.courses.files.module_file_names)."""
    modules = _modules(course)
    stems = module_file_names(modules)
    files = {}
    for module in modules:
        questions = quiz_questions(store.get_quiz(course, module))
        if questions:
            files[f"{stems[module.slug]}.gift"] = dump_questions(questions)
    final = quiz_questions(store.get_quiz(course))
    if final:
        files[FINAL_GIFT] = dump_questions(final)
    return files


def category_of(course, module=None) -> str:
    return f"{course.slug}/{module.slug if module is not None else FINAL_CATEGORY}"


def course_gift_single(course) -> str:
    """Every quiz of the course in one GIFT text, each under `$CATEGORY: <course-slug>/<module-slug>` (the final
    quiz under `<course-slug>/final`). `lms quiz import-gift FILE --course SLUG` reads it back."""
    parts = []
    for module in [*_modules(course), None]:
        questions = quiz_questions(store.get_quiz(course, module))
        if questions:
            parts.append(f"$CATEGORY: {category_of(course, module)}\n\n"
                         + gift.dump(questions, with_categories=False))
    return "\n".join(parts)
