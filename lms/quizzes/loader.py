"""The quizzes loader: quiz files in course folders -> quizzes, in the content sync's transaction.

A module's quiz is `NN-<module-slug>.gift` next to its module file, with the settings from the module's
`quiz:` front matter; the course's final quiz is `final.gift`, with the course's `final_quiz:` settings.

It works on the course folders the courses loader read (it runs after it):
- check_course_quizzes (its check step) parses every .gift file and returns every problem as
  `path:line: message`, so `lms content sync` writes nothing when one file is wrong.
- sync_course_quizzes (its apply step, per course) applies them, inside the sync's transaction. A quiz whose file
  and settings did not change (Quiz.file_hash) is not touched, so a second sync changes nothing. A quiz edited
  in the browser since the last sync whose file changed too is a conflict: the browser version is kept unless
  `force` (as for modules). When a module's .gift file is removed, the quiz stays (attempts and statistics are
  kept) but its questions are archived, so learners no longer see a quiz; a quiz edited in the browser is kept
  as it is (a conflict is reported) unless `force`.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from lms.content.frontmatter import read_text
from lms.content.loading import ContentInvalid, Loader
from lms.courses.models import Course
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.quizzes import gift, store
from lms.quizzes.models import DEFAULT_SETTINGS
from lms.quizzes.questions import Question, validate

ARCHIVED_NOTE = "quiz questions archived:"


def load_gift(path: Path) -> tuple[str, list[Question], list[str]]:
    """The text of the GIFT file at ``path``, its questions, and its problems as `path:line: message`
    ([] when fine). An empty file is a quiz with no questions, not an error."""
    try:
        if path.is_file() and not path.read_bytes().strip():
            return "", [], []
    except OSError:
        pass  # read_text reports it
    text, errors = read_text(path)
    if text is None:
        return "", [], [str(e) for e in errors]
    questions, errors = parse_gift(text, str(path))
    return text, questions, errors


def read_gift(path: Path) -> tuple[list[Question], list[str]]:
    """The questions of the GIFT file at ``path`` and its problems (see load_gift)."""
    _text, questions, errors = load_gift(path)
    return questions, errors


def parse_gift(text: str, where: str) -> tuple[list[Question], list[str]]:
    """parse() with every problem as a message: GIFT syntax, then any question that fails validate()."""
    try:
        questions = gift.parse(text, where)
    except gift.GiftError as exc:
        return exc.questions, list(exc.errors)
    errors = [f"{where}:{q.line or 1}: {message}" for q in questions for message in validate(q)]
    return questions, errors


def _settings_errors(path: Path, settings: dict, what: str) -> list[str]:
    try:
        store.check_settings(settings or {})
    except store.QuizError as exc:
        return [f"{path}:1: {what}: {exc}"]
    return []


def check_course_quizzes(parsed) -> list[str]:
    """Every problem of the course's quiz files and quiz settings, as `path:line: message`."""
    errors = []
    for module in parsed.modules:
        if module.gift_path is not None:
            errors += read_gift(module.gift_path)[1]
        errors += _settings_errors(module.path, module.quiz_settings, "quiz")
    if parsed.final_gift_path is not None:
        errors += read_gift(parsed.final_gift_path)[1]
    errors += _settings_errors(parsed.course_file, parsed.final_quiz_settings, "final_quiz")
    return errors


def source_hash(text: str, settings: dict) -> str:
    """What a quiz was synced from: the GIFT text (line endings normalised) and the effective settings."""
    data = {"gift": text.replace("\r\n", "\n").replace("\r", "\n"), "settings": settings}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _same_as_browser(quiz, questions: list[Question], settings: dict) -> bool:
    """True when the file now says what the browser saved: no conflict, nothing to take."""
    live = [row.content_hash for row in quiz.live_questions]
    return live == [store.question_hash(q) for q in questions] and store.settings_of(quiz) == settings


def _conflict(path: Path, quiz, what: str) -> str:
    when = quiz.edited_in_browser_at.strftime("%Y-%m-%d %H:%M UTC")
    return (f"{path}: conflict: the quiz was edited in the browser on {when} {what}; "
            "the browser version is kept (use --force to take the file)")


def _sync_one(course, module, path: Path | None, settings: dict, report, *, force: bool, now: datetime):
    """Bring one quiz in line with its file (``path``; None: there is none)."""
    if path is None:
        _file_removed(course, module, report, force=force, now=now)
        return
    text, questions, errors = load_gift(path)
    if errors:  # the check hook saw the file clean: it changed since
        raise ContentInvalid(errors)
    effective = {**DEFAULT_SETTINGS, **(settings or {})}
    digest = source_hash(text, effective)
    existing = store.get_quiz(course, module)
    if existing is not None and existing.file_hash == digest:
        report.count("quizzes", "unchanged")
        return
    quiz = existing or store.get_or_create_quiz(course, module)
    if quiz.edited_in_browser_at is not None:
        if _same_as_browser(quiz, questions, effective):
            quiz.file_hash, quiz.edited_in_browser_at = digest, None
            report.count("quizzes", "unchanged")
            return
        if not force:
            report.conflicts.append(_conflict(path, quiz, "and its file changed"))
            report.count("quizzes", "unchanged")
            return
    store.apply_settings(quiz, effective, from_browser=False)
    result = store.replace_questions(quiz, questions, now, from_browser=False)
    quiz.file_hash, quiz.edited_in_browser_at = digest, None
    quiz.title = (f"{module.title} — quiz" if module is not None else f"{course.title} — final quiz")[:200]
    report.count("quizzes", "added" if existing is None else "updated")
    report.count("questions", "added", result.added)
    report.count("questions", "unchanged", result.kept)
    report.count("questions", "archived", result.archived)


def _file_removed(course, module, report, *, force: bool, now: datetime):
    """A quiz that came from a file that is gone: archive its questions (see the module docstring)."""
    quiz = store.get_quiz(course, module)
    if quiz is None or quiz.file_hash is None:
        return  # never synced from a file (made in the browser), or already handled
    if quiz.edited_in_browser_at is not None and not force:
        where = module.slug if module is not None else "final quiz"
        report.conflicts.append(f"{course.slug}/{where}: conflict: the quiz file was removed but the quiz was "
                                f"edited in the browser on {quiz.edited_in_browser_at:%Y-%m-%d %H:%M} UTC; "
                                "the browser version is kept (use --force to remove its questions)")
        return
    result = store.replace_questions(quiz, [], now, from_browser=False)
    quiz.file_hash, quiz.edited_in_browser_at = None, None
    report.count("quizzes", "archived")
    report.count("questions", "archived", result.archived)


def sync_course_quizzes(course, parsed, report, *, force: bool = False, now: datetime | None = None):
    """Apply the course's .gift files and quiz settings (flushes, never commits)."""
    now = now or utcnow()
    modules = {m.slug: m for m in course.modules}
    for item in parsed.modules:
        module = modules.get(item.slug)
        if module is None:
            continue
        # The module row's settings: those of the file, or of the browser when the module sync kept a browser edit.
        _sync_one(course, module, item.gift_path, module.quiz_settings or {}, report, force=force, now=now)
    _sync_one(course, None, parsed.final_gift_path, course.final_quiz_settings or {}, report, force=force, now=now)
    # The summary line prints added/updated/unchanged only; say how many questions left the quizzes.
    archived = report.get("questions", "archived")
    report.notes[:] = [n for n in report.notes if not n.startswith(ARCHIVED_NOTE)]
    if archived:
        report.notes.append(f"{ARCHIVED_NOTE} {archived} (kept for past attempts)")


def check(content) -> list[str]:
    return [error for parsed in content["courses"] for error in check_course_quizzes(parsed)]


def apply(content, report, *, force: bool, now: datetime):
    """After the courses loader: every course it synced has its modules in place."""
    parsed = content["courses"]
    rows = {row.slug: row for row in db.session.scalars(select(Course).where(Course.slug.in_([p.slug for p in parsed])))}
    for item in parsed:
        sync_course_quizzes(rows[item.slug], item, report, force=force, now=now)


# No folder of its own: the .gift files are in the course folders, so it runs when they are synced.
LOADER = Loader("quizzes", order=20, folder="courses", check=check, apply=apply)
