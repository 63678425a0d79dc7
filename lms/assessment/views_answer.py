"""Answering: the questionnaire page, autosave (a fetch from assessment.js, or the form's own Save button),
submitting once, and choosing whether colleagues may see one's own answers."""
import json

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessment import access, rounds, scoring
from lms.assessment.blueprint import bp
from lms.assessment.questionnaire import questionnaire
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal, json_error

MAX_BODY = 64 * 1024  # 30 answers fit in well under 2 KB


def _my_response_or_404(assessment_id: int):
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    response = assessment.response_of(current_user)
    return assessment, response


def _form_answers() -> dict:
    """`q-<slug>` fields of the page's form -> {slug: value}; only the questions of the questionnaire."""
    result = {}
    for question in questionnaire().questions:
        value = request.form.get(f"q-{question.slug}")
        if value is not None:
            result[question.slug] = value
    return result


def _counts(response) -> dict:
    answers = response.answers or {}
    return {"answered": len(answers), "dont_know": sum(1 for v in answers.values() if v == scoring.DONT_KNOW),
            "total": len(questionnaire().questions)}


@bp.get("/<int:assessment_id>/answer")
@login_required
def answer(assessment_id):
    assessment, response = _my_response_or_404(assessment_id)
    if response is None:
        flash(_("You are not among the people answering this assessment."), "info")
        return redirect(url_for("assessment.overview", assessment_id=assessment.id))
    return render_template("assessment/answer.html", assessment=assessment, response=response,
                           questionnaire=questionnaire(), locale=str(get_locale()), counts=_counts(response),
                           dont_know=scoring.DONT_KNOW)


@bp.post("/<int:assessment_id>/answers")
@login_required
def save(assessment_id):
    """Autosave. JSON in ({"answers": {slug: level|"dk"|null}}) -> JSON out; a plain form post redirects back."""
    assessment, response = _my_response_or_404(assessment_id)
    wants_json = request.is_json
    if response is None:
        return json_error(403, "forbidden", _("You are not among the people answering this assessment.")) \
            if wants_json else redirect(url_for("assessment.overview", assessment_id=assessment.id))
    if wants_json:
        if (request.content_length or 0) > MAX_BODY:
            return json_error(413, "too_large", _("The request is too large."))
        try:
            body = json.loads(request.get_data(cache=False, as_text=True) or "null")
        except (ValueError, RecursionError):
            return json_error(400, "bad_request", _("The body is not valid JSON."))
        raw = body.get("answers") if isinstance(body, dict) else None
    else:
        raw = _form_answers()
    try:
        rounds.save_answers(response, raw, questionnaire(), utcnow())
    except rounds.AssessmentError as exc:
        if wants_json:  # an error status: the request rolls back
            return json_error(exc.status, "conflict" if exc.status == 409 else "bad_request", str(exc))
        flash_refusal(exc)
        return redirect(url_for("assessment.answer", assessment_id=assessment.id))
    db.session.flush()
    if wants_json:
        return jsonify({**_counts(response), "saved_at": response.updated_at.isoformat()})
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("assessment.answer", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id):
    assessment, response = _my_response_or_404(assessment_id)
    if response is None:
        return redirect(url_for("assessment.overview", assessment_id=assessment.id))
    try:
        if not response.is_submitted:
            rounds.save_answers(response, _form_answers(), questionnaire(), utcnow())
        rounds.submit(response, utcnow())
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(url_for("assessment.answer", assessment_id=assessment.id))
    flash(_("Thank you: your answers are submitted."), "success")
    return redirect(url_for("assessment.result", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/share-answers")
@login_required
def share_answers(assessment_id):
    assessment, response = _my_response_or_404(assessment_id)
    if response is None:
        return redirect(url_for("assessment.overview", assessment_id=assessment.id))
    response.shares_answers = request.form.get("shares_answers") == "1"
    flash(_("Your colleagues can now see your own scores.") if response.shares_answers
          else _("Your own scores are now private: colleagues see only the team's figures."), "info")
    return redirect(url_for("assessment.result", assessment_id=assessment.id))
