"""Looking at a quiz from the other side: the trainer's preview as a learner (graded, never saved), the
per-question statistics, and the queue of essays to grade."""
import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.decorators import role_required
from lms.courses import access
from lms.dbtypes import utcnow
from lms.http import flash_refusal
from lms.i18n import percent
from lms.quizzes import essays, preview, stats, store
from lms.quizzes.access import get_authored_quiz_or_404
from lms.quizzes.attempts import AttemptError, finish_manual_grading
from lms.quizzes.forms import GradeForm
from lms.quizzes.trainer.blueprint import bp


@bp.route("/<slug>/<int:quiz_id>/preview", methods=["GET", "POST"])
@role_required("trainer")
def preview_quiz(slug, quiz_id):
    """The quiz as a learner's take page shows it. "Check answers" grades what was given and shows the
    feedback, the right answers and the score; no attempt is started and nothing is saved."""
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    seed = request.form.get("seed", "")
    seed = int(seed) if seed.isdigit() else secrets.randbelow(2**31)
    layout = preview.preview_layout(quiz, seed)
    rows = preview.preview_rows(quiz, layout)
    answers = preview.answers_from_form(rows, request.form) if request.method == "POST" else {}
    grades, score = preview.grade_preview(rows, answers) if request.method == "POST" else ({}, None)
    return render_template("quizzes/trainer/preview.html", quiz=quiz, course=quiz.course, seed=seed,
                           shown=preview.shown_questions(rows, layout, answers), answers=answers, grades=grades,
                           questions={row.id: store.question_of(row) for row in rows}, score=score)


@bp.get("/<slug>/<int:quiz_id>/stats")
@role_required("trainer")
def quiz_stats(slug, quiz_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    found = stats.quiz_stats(quiz)
    return render_template("quizzes/trainer/stats.html", quiz=quiz, course=quiz.course, stats=found,
                           summary=stats.summary(found))


# Essays ------------------------------------------------------------------------------------------------------

def _queue(forms=None, status=200):
    courses = access.authored_courses(current_user)
    wanted = request.values.get("course")
    if wanted:
        courses = [c for c in courses if c.slug == wanted]
    pending = essays.pending_essays(courses)
    forms = forms or {}
    for response in pending:
        forms.setdefault(response.id, GradeForm(formdata=None, prefix=f"r{response.id}"))
    return render_template("quizzes/trainer/essays.html", pending=pending, forms=forms, course_slug=wanted,
                           questions={r.id: store.question_of(r.question) for r in pending}), status


@bp.get("/essays")
@role_required("trainer")
def essay_queue():
    return _queue()


@bp.post("/essays/<int:response_id>/grade")
@role_required("trainer")
def grade_essay(response_id):
    response = essays.get_gradable_response_or_404(response_id, current_user)
    back = url_for("quiz_authoring.essay_queue", course=request.values.get("course") or None)
    if response.graded_at is not None or not response.needs_manual:
        flash(_("This essay was graded already."), "info")
        return redirect(back)
    form = GradeForm(prefix=f"r{response.id}")
    if form.validate_on_submit():
        try:
            fraction = essays.parse_percent(form.percent.data)
        except ValueError as exc:
            form.percent.errors = list(form.percent.errors) + [str(exc)]
        else:
            try:
                finish_manual_grading(response, fraction, form.comment.data or "", current_user, utcnow())
            except AttemptError as exc:
                flash_refusal(exc)
                return redirect(back)
            flash(_("Graded: %(name)s gets %(percent)s for “%(question)s”.", name=response.attempt.user.name,
                    percent=percent(fraction, digits=2), question=response.question.name), "success")
            return redirect(back)
    return _queue({response.id: form}, 422)
