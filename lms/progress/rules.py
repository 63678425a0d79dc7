"""Completion and attention rules as plain functions over plain values: no Flask, no database.

The database side (lms/progress/completion.py, lms/progress/queries.py) gathers the facts and calls these, so
what "complete", "inactive" or "failing" means is written once and tested without HTTP.
"""
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Verification codes: no 0/O, 1/I/L, so a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


@dataclass(frozen=True)
class CourseRequirements:
    """What completing one course asks for, from its current content."""

    required_module_ids: frozenset[int]
    final_quiz_id: int | None = None  # None: the course has no final quiz with questions
    lab_slug: str | None = None  # None: no lab session to attend


@dataclass
class LearnerFacts:
    """What one learner has done in one course, with when (UTC)."""

    modules_done: dict[int, datetime] = field(default_factory=dict)  # module id -> first completion
    final_passed_at: datetime | None = None
    lab_attended_at: datetime | None = None


def module_is_complete(marked_at: datetime | None, quiz_passed_at: datetime | None) -> bool:
    """A module is complete when marked complete, or when its quiz was passed."""
    return marked_at is not None or quiz_passed_at is not None


def completion_time(requirements: CourseRequirements, facts: LearnerFacts, now: datetime) -> datetime | None:
    """When the learner completed the course (the moment the last requirement was met), or None if not yet.

    A course with nothing to do (no required module, no final quiz, no lab) is never complete: there would be
    nothing to certify. The time is capped at `now`, so a clock skew between hosts never dates it in the future.
    """
    if not requirements.required_module_ids and requirements.final_quiz_id is None and not requirements.lab_slug:
        return None
    times = []
    for module_id in requirements.required_module_ids:
        if module_id not in facts.modules_done:
            return None
        times.append(facts.modules_done[module_id])
    if requirements.final_quiz_id is not None:
        if facts.final_passed_at is None:
            return None
        times.append(facts.final_passed_at)
    if requirements.lab_slug:
        if facts.lab_attended_at is None:
            return None
        times.append(facts.lab_attended_at)
    return min(max(times), now) if times else now


def percent(done: int, total: int) -> int:
    """Rounded down, so 100 only when everything is done."""
    return (done * 100) // total if total else 0


def is_inactive(last_activity: datetime | None, now: datetime, days: int) -> bool:
    """No activity (enrolment, module, attempt) for `days` days; someone who never did anything counts too."""
    return last_activity is None or last_activity < now - timedelta(days=days)


def is_failing(best_score: float | None, attempts: int, pass_mark: float = 0.7) -> bool:
    """Attempted quizzes but the best average score is under the pass mark."""
    return attempts > 0 and best_score is not None and best_score < pass_mark


def needs_attention(*, last_activity, best_score, attempts, no_shows, completed, now, inactive_days=14) -> list[str]:
    """Why a learner in a report needs a look: "inactive", "failing", "no_show" (empty when none).

    A learner who completed the course is never flagged inactive: they have nothing left to do.
    """
    reasons = []
    if not completed and is_inactive(last_activity, now, inactive_days):
        reasons.append("inactive")
    if is_failing(best_score, attempts):
        reasons.append("failing")
    if no_shows:
        reasons.append("no_show")
    return reasons


def new_code() -> str:
    """A certificate verification code: 12 characters of a 31-letter alphabet (about 59 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored code; "" when it cannot be one."""
    clean = "".join(ch for ch in (text or "")[:64].upper() if ch.isalnum())
    return clean if len(clean) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in clean) else ""


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read off paper."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def neutralise_cell(value):
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab/CR that some
    spreadsheets strip first) gets a leading apostrophe. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value and (value[0] in "=+-@\t\r" or value.lstrip()[:1] in ("=", "+", "-", "@")):
        return "'" + value
    return value
