"""Taking a quiz: start an attempt, save answers as the learner goes, submit and grade, manual grading.

Rules only (no Flask request objects): they add and flush, the caller commits. Every rule takes ``now``.

What holds across processes is held by the database, never by a lock in Python:

- one attempt per number (unique quiz, user, number): a double click or two tabs starting at once get the
  same attempt; different learners starting together never wait on each other;
- one submission per attempt: a conditional ``UPDATE ... WHERE state = 'in_progress'`` (a replayed or doubled
  submit changes nothing);
- one response per question and attempt (unique), upserted on every save; a save and a submit of the same
  attempt are ordered by a row lock on the attempt (PostgreSQL; SQLite serialises writes anyway).

The time limit is the server's: ``deadline_at`` is fixed at the start, saves after it are refused, and
grading counts only responses saved by then.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, null, select, update

from lms.auth.models import User
from lms.courses import enrolment
from lms.dbtypes import upsert_insert
from lms.extensions import db
from lms.ids import is_id
from lms.quizzes import store
from lms.quizzes.models import Attempt, Quiz, QuizQuestion, Response
from lms.quizzes.policy import attempts_and_enrolment, can_start, is_expired
from lms.quizzes.qtypes import QUESTION_TYPES, InvalidResponse, clamp, match_choices, match_stems

MAX_TEXT = 20_000  # characters of an essay; other typed answers get MAX_SHORT
MAX_SHORT = 500


def _(text: str, **values) -> str:
    """The message in the person's language (gettext; English outside a request)."""
    return gettext(text, **values)


class AttemptError(ValueError):
    """A rule refused the request; ``code`` says why ("closed", "invalid", or a policy.REASONS key)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# Starting ------------------------------------------------------------------------------------------------------

def make_layout(quiz: Quiz, rng: random.Random) -> dict:
    """The order this attempt shows: question ids (shuffled when ``shuffle_questions``) and, per question, the
    order of its choices (and matching stems) when ``shuffle_answers``. Stored, so a reload shows the same page."""
    rows = list(quiz.live_questions)
    if quiz.shuffle_questions:
        rng.shuffle(rows)
    choices, stems = {}, {}
    for row in rows:
        question = store.question_of(row)
        if question.qtype == "multichoice":
            order = list(range(len(question.answers)))
        elif question.qtype == "match":
            order = list(range(len(match_choices(question))))
            stem_order = list(range(len(match_stems(question))))
            if quiz.shuffle_answers:
                rng.shuffle(stem_order)
            stems[str(row.id)] = stem_order
        else:
            continue
        if quiz.shuffle_answers:
            rng.shuffle(order)
        choices[str(row.id)] = order
    return {"questions": [row.id for row in rows], "choices": choices, "stems": stems}


def _attempt_number(user, quiz: Quiz, number: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == user.id, Attempt.number == number))


def start_attempt(user, quiz: Quiz, now: datetime, rng: random.Random | None = None) -> Attempt:
    """Start ``user``'s next attempt at ``quiz``, or return the one in progress.

    The attempt is numbered max + 1, counted in the same read that found no attempt in progress: two requests
    starting at once (a double click, two tabs) race for the same number and the unique key lets one win; the
    other reads the winner back and returns it.
    :raise AttemptError: can_start() refused (its reason is the error's code).
    """
    attempts, enrolled = attempts_and_enrolment(user, quiz)
    _submit_expired(attempts, now)  # as close_expired_attempts, from this read: one whose time is up first
    check = can_start(user, quiz, now, attempts, enrolled)
    if check.reason == "in_progress":
        return check.resume
    if not check.allowed:
        raise AttemptError(check.message, check.reason)
    number = check.next_number
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    # One INSERT ... ON CONFLICT DO NOTHING RETURNING instead of an insert inside a savepoint: no row back means
    # the same person started this number meanwhile (double click, two tabs), and theirs is the attempt.
    values = {"quiz_id": quiz.id, "user_id": user.id, "number": number, "state": "in_progress",
              "layout": make_layout(quiz, rng or random.Random()), "started_at": now, "deadline_at": deadline}
    attempt = db.session.scalars(_built(("start", db.session.get_bind().dialect.name), _attempt_insert),
                                 values).one_or_none()
    if attempt is None:
        attempt = _attempt_number(user, quiz, number)
        if attempt is None:
            raise LookupError(f"attempt {number} of user {user.id} at quiz {quiz.id} neither inserted nor found")
    return attempt


# The statements a class of learners sends at once (Start, autosave) are built once, per database kind or
# variant, and kept: building one, and its cache key, cost as much as running it.
_BUILT: dict[tuple, Any] = {}


def _built(key: tuple, build):
    statement = _BUILT.get(key)
    if statement is None:
        statement = _BUILT[key] = build(*key[1:])
    return statement


def _attempt_insert(dialect_name: str):
    insert = upsert_insert(dialect_name)(Attempt).values({name: bindparam(name) for name in (
        "quiz_id", "user_id", "number", "state", "layout", "started_at", "deadline_at")})
    return insert.on_conflict_do_nothing(index_elements=["quiz_id", "user_id", "number"]).returning(Attempt)


# Saving ------------------------------------------------------------------------------------------------------

# session.info: (transaction, attempt id, question row read with it or None) of the row lock taken last
_LOCK = "lms.quizzes.locked_attempt"


def read_locked(attempt_id: int, question_id: Any = None, owner: tuple[int, str] | None = None) -> Attempt | None:
    """The attempt read afresh with its row lock (PostgreSQL), held until the transaction ends; save_response in
    the same transaction then does not read it again. ``question_id``: the question row the save is for, read in
    the same statement (an autosave's two reads in one), so that question_row finds it in the session; nothing
    is read for an id that cannot name a row, and whether it belongs to the attempt is question_row's check.
    ``owner``: (person id, session key) from the session cookie: the attempt only if it is theirs, the key is
    their current one and the account active (the checks of the person's load, in this statement)."""
    session = db.session()
    with_question = is_id(question_id)
    values = {"attempt_id": attempt_id, "question_id": question_id if with_question else None}
    if owner is not None:
        values.update(user_id=owner[0], session_key=owner[1])
    found = session.execute(_built(("lock", with_question, owner is not None), _locking_read), values).first()
    attempt, row = found if found is not None else (None, None)
    if attempt is not None:
        # The row is kept here because the session holds objects weakly: this keeps session.get from reading it.
        session.info[_LOCK] = (session.get_transaction(), attempt.id, row)
    return attempt


def _locking_read(with_question: bool, with_owner: bool):
    statement = select(Attempt, QuizQuestion if with_question else null())
    if with_question:
        statement = statement.outerjoin(QuizQuestion, QuizQuestion.id == bindparam("question_id"))
    if with_owner:
        statement = statement.join(User, (User.id == Attempt.user_id) & (User.id == bindparam("user_id"))
                                   & (User.session_key == bindparam("session_key")) & User.is_active)
    return (statement.where(Attempt.id == bindparam("attempt_id")).with_for_update(of=Attempt)
            .execution_options(populate_existing=True))


def _locked(attempt: Attempt) -> Attempt:
    """``attempt`` with its row lock (PostgreSQL), so a save and a submit of it do not interleave: re-read with
    the lock, unless this transaction read it so already (read_locked)."""
    session = db.session()
    transaction, attempt_id, _row = session.info.get(_LOCK, (None, None, None))
    if attempt_id == attempt.id and transaction is not None and transaction is session.get_transaction():
        return attempt
    return read_locked(attempt.id)


def check_open(attempt: Attempt, now: datetime) -> None:
    """:raise AttemptError("closed"): the attempt was submitted or its time is up."""
    if attempt.state != "in_progress":
        raise AttemptError(_("This attempt has been submitted: answers can no longer change."), "closed")
    if attempt.deadline_at is not None and now > attempt.deadline_at:
        raise AttemptError(_("Time is up: answers can no longer change."), "closed")


def clean_answer(row: QuizQuestion, answer: Any) -> Any:
    """``answer`` in its stored shape (a set of choices sorted, matching keys as strings), checked against the
    question. :raise AttemptError("invalid"): a shape the quiz page cannot send (a tampered request)."""
    question = store.question_of(row)
    qtype = QUESTION_TYPES[question.qtype]
    if not qtype.gradable:
        raise AttemptError(_("This item is not a question."))
    if isinstance(answer, str):
        limit = MAX_TEXT if question.qtype == "essay" else MAX_SHORT
        if len(answer) > limit:
            raise AttemptError(_("The answer is too long (at most %(limit)d characters).", limit=limit))
    if question.qtype == "multichoice" and not question.single and isinstance(answer, list):
        if len(answer) > len(question.answers):
            raise AttemptError(_("Too many choices."))
    if question.qtype == "match" and isinstance(answer, dict):
        answer = {str(k): v for k, v in answer.items() if v is not None and v != ""}
    try:
        qtype.grade(question, answer)
    except (InvalidResponse, TypeError) as exc:
        raise AttemptError(_("This answer does not fit the question: %(problem)s", problem=exc)) from exc
    if question.qtype == "multichoice" and not question.single and isinstance(answer, list):
        answer = sorted({int(i) for i in answer})
    elif question.qtype == "multichoice" and question.single and isinstance(answer, str):
        answer = int(answer)
    elif question.qtype == "match" and isinstance(answer, dict):
        answer = {k: int(v) for k, v in answer.items()}
    return answer


def question_row(attempt: Attempt, question_id: Any) -> QuizQuestion:
    """The attempt's question ``question_id``. :raise AttemptError: not one of this attempt's questions."""
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise AttemptError(_("Unknown question.")) from None
    if question_id not in (attempt.layout or {}).get("questions", []):
        raise AttemptError(_("Unknown question."))
    return db.session.get(QuizQuestion, question_id)


def save_response(attempt: Attempt, question_id: Any, answer: Any, now: datetime) -> Response:
    """Save (or replace) the learner's answer to one question of an attempt in progress; ``answer`` None clears it.

    :raise AttemptError: "closed" after submission or the deadline; "invalid" for a question not in the
    attempt or an answer whose shape does not fit it.
    """
    row = question_row(attempt, question_id)
    answer = None if answer is None else clean_answer(row, answer)
    attempt = _locked(attempt)
    check_open(attempt, now)
    # One upsert on the unique (attempt, question) key instead of a read then an insert or update; the row
    # comes back into the session (populate_existing), so a response already loaded is not left stale.
    values = {"attempt_id": attempt.id, "question_id": row.id, "answer": answer, "saved_at": now}
    return db.session.scalars(_built(("save", db.session.get_bind().dialect.name), _response_upsert), values,
                              execution_options={"populate_existing": True}).one()


def _response_upsert(dialect_name: str):
    # Its "excluded" alias copies every column of the table: building it was a sixth of an autosave's time.
    insert = upsert_insert(dialect_name)(Response).values(
        {name: bindparam(name) for name in ("attempt_id", "question_id", "answer", "saved_at")})
    return insert.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={"answer": insert.excluded.answer, "saved_at": insert.excluded.saved_at}).returning(Response)


# Submitting and grading -------------------------------------------------------------------------------------

def is_counted(response: Response, attempt: Attempt) -> bool:
    """A response counts when it was saved by the deadline (always, without a time limit)."""
    return attempt.deadline_at is None or response.saved_at <= attempt.deadline_at


def _layout_rows(attempt: Attempt) -> list[QuizQuestion]:
    ids = (attempt.layout or {}).get("questions", [])
    rows = {row.id: row for row in db.session.scalars(select(QuizQuestion).where(QuizQuestion.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _tally(attempt: Attempt, now: datetime) -> None:
    """Score, needs_grading and passed from the responses' fractions; completes the module on a pass."""
    rows = [row for row in _layout_rows(attempt) if QUESTION_TYPES[row.qtype].gradable]
    gradable = {row.id for row in rows}
    counted = [r for r in attempt.responses if r.question_id in gradable and is_counted(r, attempt)]
    attempt.score = sum(r.fraction or 0.0 for r in counted) / len(rows) if rows else 0.0
    attempt.needs_grading = any(r.needs_manual for r in counted)
    quiz = db.session.get(Quiz, attempt.quiz_id)
    # Rounded: 7 right of 10 is 70%, not 69.99999999999999%.
    attempt.passed = None if attempt.needs_grading else round(attempt.score * 100, 6) >= quiz.pass_mark
    if attempt.passed and quiz.module is not None:
        try:
            enrolment.mark_complete(attempt.user, quiz.module, now, via="quiz")
        except enrolment.EnrolmentError:
            pass  # not enrolled any more, or the module left the course: the attempt still records the pass
    else:  # the attempt's score changes the learner's figures (and a final quiz's pass may complete the course)
        db.session.flush()
        enrolment.completion_changed(quiz.course, now, attempt.user)


def grade_attempt(attempt: Attempt, now: datetime) -> None:
    """Grade every counted response of a submitted attempt and tally it."""
    rows = {row.id: row for row in _layout_rows(attempt)}
    for response in attempt.responses:
        row = rows.get(response.question_id)
        if row is None or not QUESTION_TYPES[row.qtype].gradable or not is_counted(response, attempt):
            response.fraction, response.feedback, response.needs_manual = None, None, False
            continue
        try:
            grade = store.question_of(row).grade(response.answer)
        except InvalidResponse:  # cannot come from save_response; a stored oddity scores nothing
            response.fraction, response.feedback, response.needs_manual = 0.0, [], False
            continue
        response.fraction, response.feedback, response.needs_manual = grade.fraction, grade.feedback, grade.needs_manual
    _tally(attempt, now)
    db.session.flush()


def submit_attempt(attempt: Attempt, now: datetime) -> bool:
    """Submit and grade ``attempt``; True when this call submitted it, False when it was submitted already.

    An attempt past its deadline is recorded as submitted at the deadline. Only responses saved by the
    deadline count. A pass of a module's quiz completes the module; a final quiz's pass is on the attempt.
    """
    submitted_at = now
    if attempt.deadline_at is not None and now > attempt.deadline_at:
        submitted_at = attempt.deadline_at
    result = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.state == "in_progress")
        .values(state="submitted", submitted_at=submitted_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if result.rowcount != 1:
        return False
    grade_attempt(attempt, now)
    return True


def close_expired_attempts(now: datetime, *, user=None, quiz: Quiz | None = None) -> int:
    """Submit every attempt in progress whose time is up (of ``user`` at ``quiz`` when given); how many.
    Views call it lazily when a learner opens a quiz; a periodic job may call it for everyone."""
    query = select(Attempt).where(Attempt.state == "in_progress", Attempt.deadline_at.is_not(None),
                                  Attempt.deadline_at < now)
    if user is not None:
        query = query.where(Attempt.user_id == user.id)
    if quiz is not None:
        query = query.where(Attempt.quiz_id == quiz.id)
    return _submit_expired(db.session.scalars(query).all(), now)


def _submit_expired(attempts: list[Attempt], now: datetime) -> int:
    """Submit those of ``attempts`` whose time is up; how many this call submitted."""
    return sum(1 for attempt in attempts if is_expired(attempt, now) and submit_attempt(attempt, now))


def finish_manual_grading(response: Response, fraction: float, comment: str, grader, now: datetime) -> Attempt:
    """A trainer's mark for an essay (``fraction`` 0..1, clamped) and comment; the attempt's score and pass are
    worked out again (a pass of a module quiz completes the module). Returns the attempt.
    :raise AttemptError: the attempt is not submitted yet, or the response was saved too late to count."""
    attempt = response.attempt
    if attempt.state != "submitted":
        raise AttemptError(_("The attempt is still in progress."), "closed")
    if not is_counted(response, attempt):
        raise AttemptError(_("This answer was saved after the time limit and does not count."), "closed")
    response.fraction = clamp(fraction)
    response.needs_manual = False
    response.grader_comment = (comment or "").strip()
    response.graded_by_id = grader.id if grader is not None else None
    response.graded_at = now
    _tally(attempt, now)
    db.session.flush()
    return attempt
