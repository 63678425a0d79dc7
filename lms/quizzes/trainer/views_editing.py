"""The trainer's quiz pages: a course's quizzes, a quiz's questions (add, edit, archive, move) and settings.

Import/export live in views_transfer.py; the preview, statistics and essay grading in views_review.py.
All pages hang off the ``quiz_authoring`` blueprint (blueprint.py).
"""
from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from lms.auth.decorators import role_required
from lms.courses import access
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.quizzes import editing, essays, store
from lms.quizzes.access import get_authored_quiz_or_404, get_question_or_404
from lms.quizzes.forms import FORMS, SettingsForm
from lms.quizzes.models import Attempt, Quiz
from lms.quizzes.trainer.blueprint import bp, quiz_url


def _mark_edited(quiz: Quiz, now) -> None:
    # The content sync compares this with the .gift file: a browser edit is never silently overwritten.
    quiz.edited_in_browser_at = now


# A course's quizzes ----------------------------------------------------------------------------------------

@bp.get("/")
@role_required("trainer")
def index():
    courses = access.authored_courses(current_user)
    return render_template("quizzes/trainer/index.html", courses=courses,
                           pending=sum(essays.count_pending(courses).values()))


@bp.get("/<slug>/")
@role_required("trainer")
def course_quizzes(slug):
    course = access.get_authored_course_or_404(slug, current_user)
    quizzes = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)).all()
    by_module = {q.module_id: q for q in quizzes if q.module_id is not None}
    final = next((q for q in quizzes if q.is_final), None)
    attempts = dict(db.session.execute(
        select(Attempt.quiz_id, func.count(Attempt.id))
        .where(Attempt.quiz_id.in_([q.id for q in quizzes]), Attempt.state == "submitted")
        .group_by(Attempt.quiz_id)).all()) if quizzes else {}
    modules = [m for m in course.modules if m.archived_at is None]
    return render_template("quizzes/trainer/course.html", course=course, modules=modules, by_module=by_module,
                           final=final, attempts=attempts, pending=essays.count_pending([course]))


@bp.post("/<slug>/create")
@role_required("trainer")
def create_quiz(slug):
    course = access.get_authored_course_or_404(slug, current_user)
    target = request.form.get("module", "")
    module = None if target == "final" else access.get_authored_module_or_404(course, target)
    existing = store.get_quiz(course, module)
    quiz = existing or store.get_or_create_quiz(course, module)
    if existing is None:
        _mark_edited(quiz, utcnow())
    db.session.flush()
    if existing is None:
        flash(_("Quiz “%(title)s” created. Add its first question, or import a GIFT file.", title=quiz.title),
              "success")
    return redirect(quiz_url(quiz))


# A quiz ----------------------------------------------------------------------------------------------------

@bp.get("/<slug>/<int:quiz_id>/")
@role_required("trainer")
def quiz(slug, quiz_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    rows = quiz.live_questions
    return render_template("quizzes/trainer/quiz.html", quiz=quiz, course=quiz.course,
                           items=[(row, store.question_of(row)) for row in rows],
                           archived=len(quiz.questions) - len(rows), settings=store.settings_of(quiz),
                           pending=essays.count_pending([quiz.course]).get(quiz.id, 0))


@bp.route("/<slug>/<int:quiz_id>/settings", methods=["GET", "POST"])
@role_required("trainer")
def quiz_settings(slug, quiz_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    form = SettingsForm(data=store.settings_of(quiz))
    if form.validate_on_submit():
        try:
            changed = store.apply_settings(quiz, form.settings(), utcnow())
        except store.QuizError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Quiz settings saved.") if changed else _("Nothing to save: the settings did not change."),
                  "success" if changed else "info")
            return redirect(quiz_url(quiz))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("quizzes/trainer/settings.html", quiz=quiz, course=quiz.course, form=form), status


# Questions -------------------------------------------------------------------------------------------------

@bp.route("/<slug>/<int:quiz_id>/questions/new/<kind>", methods=["GET", "POST"])
@role_required("trainer")
def question_new(slug, quiz_id, kind):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    if kind not in editing.KINDS:
        abort(404)
    return _question_form(quiz, editing.KINDS[kind])


@bp.route("/<slug>/<int:quiz_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required("trainer")
def question_edit(slug, quiz_id, question_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    row = get_question_or_404(quiz, question_id)
    base = store.question_of(row)
    return _question_form(quiz, editing.kind_of(base), row, base)


def _question_form(quiz, kind, row=None, base=None):
    """The question form of ``kind``: GET shows it (filled from ``base`` when editing); POST "add_rows"
    shows it again with more empty answer rows; POST "save" builds the question and saves it if valid."""
    form_class = FORMS[kind.qtype]
    if request.method == "GET":
        form = form_class(data=editing.values_from_question(base) if base else editing.new_values(kind))
    else:
        form = form_class()
    if kind.missing_word:
        form.text.label.text = _("Sentence with a blank")
        form.text.description = _("Write ___ (three underscores or more) where the blank goes.")
    problems, status = [], 200
    if request.method == "POST" and request.form.get("action") == "add_rows":
        form.add_rows()
    elif request.method == "POST":
        if form.validate():
            result = editing.question_from_values(kind, form.values(), base)
            if result.ok:
                return _save_question(quiz, row, result.question)
            problems = form.attach_errors(result.errors) + result.problems
        problems = problems + list(form.form_errors)
        status = 422
    form.pad_rows()
    return render_template("quizzes/trainer/question_form.html", quiz=quiz, course=quiz.course, form=form,
                           kind=kind, row=row, problems=problems), status


def _save_question(quiz, row, question):
    """Save a valid question (the store marks the quiz edited in the browser) and go back to the quiz."""
    now = utcnow()
    if row is None:
        saved = store.add_question(quiz, question, now)
        flash(_("Question “%(name)s” added.", name=question.name), "success")
    elif store.question_hash(question) == row.content_hash:
        saved = row
        flash(_("Nothing to save: the question did not change."), "info")
    else:
        saved = store.update_question(row, question, now)
        flash(_("Question “%(name)s” saved.", name=question.name), "success")
    db.session.flush()
    return redirect(quiz_url(quiz) + f"#q-{saved.id}")


@bp.post("/<slug>/<int:quiz_id>/questions/<int:question_id>/archive")
@role_required("trainer")
def question_archive(slug, quiz_id, question_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    row = get_question_or_404(quiz, question_id)
    store.archive_question(row, utcnow())
    flash(_("Question “%(name)s” removed from the quiz. Past attempts keep it.", name=row.name), "success")
    return redirect(quiz_url(quiz) + "#questions")


@bp.post("/<slug>/<int:quiz_id>/questions/<int:question_id>/move")
@role_required("trainer")
def question_move(slug, quiz_id, question_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    row = get_question_or_404(quiz, question_id)
    step = request.form.get("step", "")
    if step not in ("-1", "1"):
        abort(400)
    if store.move_question(row, int(step), utcnow()):
        flash(_("Question order saved."), "success")
    return redirect(quiz_url(quiz) + f"#q-{row.id}")
