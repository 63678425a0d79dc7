"""The learner's quiz pages: a quiz's intro, taking an attempt (autosave, submit), the result; the boxes
that the course and module pages include are in boxes.py.

Thin views: parse, call a rule in attempts/policy, render. Access: only enrolled learners start a quiz; an
attempt's pages answer only its owner (404 for anyone else: trainers see attempts in their own pages).
"""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import unit_of_work
from lms.api.body import json_object
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.ids import bounded_page
from lms.quizzes import attempts as rules
from lms.quizzes import policy, taking
from lms.quizzes.access import get_attempt_or_404, get_attempt_to_save_or_404, get_quiz_or_404
from lms.quizzes.learner.blueprint import bp, quiz_url
from lms.quizzes.models import Attempt, Quiz


def _close_expired(quiz: Quiz) -> None:
    # An attempt whose time is up is submitted by the first page that sees it: a deliberate write on read,
    # once per attempt (lms.unit_of_work).
    if rules.close_expired_attempts(utcnow(), user=current_user, quiz=quiz):
        unit_of_work.write_on_read()


# The intro page ----------------------------------------------------------------------------------------------

# A course's final quiz has no module: its addresses give module_slug=None to the same functions.
@bp.get("/courses/<slug>/<module_slug>/quiz", endpoint="module_quiz")
@bp.get("/courses/<slug>/final-quiz", endpoint="final_quiz", defaults={"module_slug": None})
@login_required
def intro(slug, module_slug):
    quiz = get_quiz_or_404(slug, module_slug, current_user)
    _close_expired(quiz)
    now = utcnow()
    history, enrolled = policy.attempts_and_enrolment(current_user, quiz)
    passed = any(a.passed for a in history)
    check = policy.can_start(current_user, quiz, now, history, enrolled)
    submitted = [a for a in history if a.state == "submitted"]
    return render_template(
        "quizzes/intro.html", quiz=quiz, course=quiz.course, module=quiz.module, check=check, history=history,
        settings=policy.settings_sentence(quiz, policy.gradable_count(quiz)), passed=passed,
        counted=policy.counted_score(current_user, quiz, history), submitted=submitted,
        start_url=quiz_url(quiz, "quizzes.start_module_quiz"),
    )


@bp.post("/courses/<slug>/<module_slug>/quiz/start", endpoint="start_module_quiz")
@bp.post("/courses/<slug>/final-quiz/start", endpoint="start_final_quiz", defaults={"module_slug": None})
@login_required
def start(slug, module_slug):
    quiz = get_quiz_or_404(slug, module_slug, current_user)
    try:
        attempt = rules.start_attempt(current_user, quiz, utcnow())
    except rules.AttemptError as exc:
        flash_refusal(exc, "warning")
        return redirect(quiz_url(quiz))
    db.session.flush()  # the attempt's id, for its address
    return redirect(url_for("quizzes.take", attempt_id=attempt.id))


# Taking ------------------------------------------------------------------------------------------------------

def _open_attempt_or_redirect(attempt: Attempt):
    """None while the attempt can be answered; else the redirect to its result (submitting it if time is up)."""
    now = utcnow()
    if policy.is_expired(attempt, now):
        rules.submit_attempt(attempt, now)
        unit_of_work.write_on_read()  # as in _close_expired
        flash(_("Time is up: your attempt was submitted with the answers saved in time."), "info")
    if attempt.state != "in_progress":
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    return None


@bp.get("/quiz/attempts/<int:attempt_id>")
@login_required
def take(attempt_id):
    attempt = get_attempt_or_404(attempt_id, current_user)
    gone = _open_attempt_or_redirect(attempt)
    if gone is not None:
        return gone
    page, total, answered = taking.attempt_page(attempt, bounded_page())
    on_page = sum(1 for q in page.items if q.number and q.is_answered)
    remaining = None
    if attempt.deadline_at is not None:
        remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    return render_template(
        "quizzes/take.html", attempt=attempt, quiz=attempt.quiz, page=page,
        total=total, answered=answered, answered_elsewhere=answered - on_page,
        remaining=remaining,
    )


def _save_form(attempt: Attempt, now) -> bool:
    """Save the answers a posted page carries; False when the attempt no longer takes answers.
    A tampered value aborts with 400 (nothing saved)."""
    shown = set(request.form.getlist("shown", type=int))
    rows = [row for row in taking.layout_rows(attempt) if row.id in shown]
    saved = taking.responses_of(attempt)
    try:
        for question_id, answer in taking.answers_from_form(rows, request.form).items():
            if answer in ("", [], {}) and question_id not in saved:
                continue  # an untouched question: nothing to record
            rules.save_response(attempt, question_id, answer, now)
    except rules.AttemptError as exc:
        db.session.rollback()
        if exc.code == "closed":
            return False
        abort(400, description=str(exc))
    return True


@bp.post("/quiz/attempts/<int:attempt_id>/answers")
def save(attempt_id):
    """Autosave (JSON {question_id, answer} -> {saved_at}) or, without JavaScript, a page of answers."""
    data = json_object() if request.is_json else None  # broken or too deep JSON: 400 invalid_json, nothing saved
    # Read once, locked for the save, with the autosave's question and the session's check in the same statement
    # (signed in as login_required asks, without loading the person).
    attempt = get_attempt_to_save_or_404(attempt_id, question_id=(data or {}).get("question_id"))
    now = utcnow()
    if data is not None:
        if "question_id" not in data:
            return jsonify({"error": {"code": "invalid", "message": "Send {question_id, answer}."}}), 400
        try:
            response = rules.save_response(attempt, data["question_id"], data.get("answer"), now)
        except rules.AttemptError as exc:
            db.session.rollback()
            return jsonify({"error": {"code": exc.code, "message": str(exc)}}), 409 if exc.code == "closed" else 400
        return jsonify({"saved_at": response.saved_at.isoformat(), "question_id": response.question_id})
    if not _save_form(attempt, now):
        flash(_("This attempt no longer takes answers."), "warning")
        return _open_attempt_or_redirect(attempt) or redirect(url_for("quizzes.take", attempt_id=attempt.id))
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.take", attempt_id=attempt.id, page=request.form.get("goto", 1, type=int)))


@bp.route("/quiz/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def submit(attempt_id):
    """Submit an attempt. The post carries the page's answers, saved first. Without the confirmation flag
    (set by the page's script after asking) it shows a confirmation page instead of submitting."""
    attempt = get_attempt_or_404(attempt_id, current_user)
    now = utcnow()
    if request.method == "POST" and attempt.state == "in_progress":
        _save_form(attempt, now)
    if attempt.state == "in_progress" and not policy.is_expired(attempt, now) and \
            (request.method == "GET" or request.form.get("confirmed") != "1"):
        questions = taking.attempt_questions(attempt)
        unanswered = [q for q in questions if q.number and not q.is_answered]
        return render_template("quizzes/confirm.html", attempt=attempt, quiz=attempt.quiz, unanswered=unanswered,
                               total=sum(1 for q in questions if q.number), per_page=taking.PER_PAGE)
    if rules.submit_attempt(attempt, now):
        unit_of_work.write_on_read()  # a GET here submits only an attempt whose time is up
        flash(_("Your attempt is submitted."), "success")
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.get("/quiz/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id):
    attempt = get_attempt_or_404(attempt_id, current_user)
    gone = _open_attempt_or_redirect(attempt)
    if gone is None:  # still in progress: there is no result yet
        return redirect(url_for("quizzes.take", attempt_id=attempt.id))
    quiz = attempt.quiz
    now = utcnow()
    history, enrolled = policy.attempts_and_enrolment(current_user, quiz)
    passed = any(a.passed for a in history)
    visible = policy.feedback_visible(quiz, attempt, len(history), passed)
    check = policy.can_start(current_user, quiz, now, history, enrolled)
    following = None
    if quiz.module is not None:
        live = quiz.course.live_modules
        if quiz.module in live and live.index(quiz.module) + 1 < len(live):
            following = live[live.index(quiz.module) + 1]
    return render_template(
        "quizzes/result.html", attempt=attempt, quiz=quiz, course=quiz.course, module=quiz.module,
        items=taking.review(attempt, visible), feedback_visible=visible, check=check, following=following,
        counted=policy.counted_score(current_user, quiz, history), attempts_used=len(history),
        start_url=quiz_url(quiz, "quizzes.start_module_quiz"), intro_url=quiz_url(quiz),
    )
