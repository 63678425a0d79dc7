"""GIFT in and out of a quiz from the trainer's pages: import (upload or paste, check, preview, then
replace or append) and export (one quiz, or all of a course's quizzes in one file)."""
import re

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms import unit_of_work
from lms.auth.decorators import role_required
from lms.courses import access
from lms.courses.files import FINAL_GIFT, module_file_names
from lms.dbtypes import utcnow
from lms.http import flash_refusal
from lms.pending import pending_uploads
from lms.quizzes import gift, gift_export, store
from lms.quizzes.access import get_authored_quiz_or_404
from lms.quizzes.forms import ImportConfirmForm, ImportForm
from lms.quizzes.questions import Question
from lms.quizzes.trainer.blueprint import bp, quiz_url

MAX_GIFT_CHARS = 2_000_000
_SOURCE = "gift"  # the "path" given to the parser, replaced by "line N:" in messages
_LOCATION = re.compile(rf"^{_SOURCE}:(\d+): ")


def read_gift(text: str) -> tuple[list[Question], list[str]]:
    """The questions in GIFT ``text`` and its problems as "line N: message" (no questions if any)."""
    if len(text) > MAX_GIFT_CHARS:
        return [], [_("The text is too long: at most %(n)d characters.", n=MAX_GIFT_CHARS)]
    try:
        questions = gift.parse(text, _SOURCE)
    except gift.GiftError as exc:
        return [], [_LOCATION.sub(lambda m: _("line %(n)s: ", n=m.group(1)), e) for e in exc.errors]
    if not questions:
        return [], [_("No questions found: a question is its text followed by its answers in braces, "
                      "e.g. “The capital of Italy?{=Rome ~Milan}”.")]
    return questions, []


def _uploaded_text(form: ImportForm) -> tuple[str, list[str]]:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read(MAX_GIFT_CHARS * 4 + 1)
        try:
            return raw.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            return "", [_("The file is not UTF-8 text. Save it as UTF-8 (Moodle's exports are) and try again.")]
    return form.text.data or "", []


def _scope(quiz) -> str:
    return f"quiz:{quiz.id}"


@bp.route("/<slug>/<int:quiz_id>/import", methods=["GET", "POST"])
@role_required("trainer")
def import_gift(slug, quiz_id):
    """Upload or paste, then check: good text is kept on the server and previewed at an address of its own
    (Post/Redirect/Get), so a reload or a language switch shows the preview again."""
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        text, errors = _uploaded_text(form)
        if not errors and not text.strip():
            errors = [_("Choose a file or paste GIFT text.")]
        if not errors:
            _questions, errors = read_gift(text)
            if not errors:
                upload_id = pending_uploads().save(text, _scope(quiz), current_user.id, utcnow())
                return redirect(quiz_url(quiz, "quiz_authoring.import_preview", upload_id=upload_id))
        # The text stays in the box, so a typo is fixed there and not in a file to upload again.
        form.text.data = text
    errors += [e for field_errors in form.errors.values() for e in field_errors]
    return render_template("quizzes/trainer/import.html", quiz=quiz, course=quiz.course, form=form,
                           errors=errors), 422 if errors else 200


def _upload_gone(quiz):
    flash(_("This upload is no longer available (uploads are kept for %(n)d hours). Please upload the file again.",
            n=current_app.config["PENDING_HOURS"]), "warning")
    return redirect(quiz_url(quiz, "quiz_authoring.import_gift"))


@bp.get("/<slug>/<int:quiz_id>/import/<upload_id>")
@role_required("trainer")
def import_preview(slug, quiz_id, upload_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    text = pending_uploads().load(upload_id, _scope(quiz), current_user.id, utcnow())
    if text is None:
        return _upload_gone(quiz)
    questions, _errors = read_gift(text)  # checked before it was kept; the parser has not changed since
    return render_template("quizzes/trainer/import_preview.html", quiz=quiz, course=quiz.course,
                           questions=questions, form=ImportConfirmForm(upload_id=upload_id))


@bp.post("/<slug>/<int:quiz_id>/import/confirm")
@role_required("trainer")
def import_confirm(slug, quiz_id):
    """Import what was previewed: the form names the kept upload, not the text."""
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    upload_id = form.upload_id.data
    text = pending_uploads().load(upload_id, _scope(quiz), current_user.id, utcnow())
    if text is None:
        return _upload_gone(quiz)
    questions, errors = read_gift(text)
    if errors:
        retry = ImportForm(formdata=None, text=text)
        return render_template("quizzes/trainer/import.html", quiz=quiz, course=quiz.course, form=retry,
                               errors=errors), 422
    now = utcnow()
    try:
        if form.mode.data == "replace":
            result = store.replace_questions(quiz, questions, now)
            message = _("Imported. Questions added: %(added)d; unchanged: %(kept)d; removed: %(archived)d.",
                        added=result.added, kept=result.kept, archived=result.archived)
        else:
            for question in questions:
                store.add_question(quiz, question, now)
            message = ngettext("Imported: %(num)d question appended.", "Imported: %(num)d questions appended.",
                               len(questions))
    except store.QuizError as exc:
        flash_refusal(_("Nothing was imported: %(error)s", error=str(exc)))
        return redirect(quiz_url(quiz, "quiz_authoring.import_gift"))
    pending = pending_uploads()
    unit_of_work.after_commit(lambda: pending.discard(upload_id))  # imported once: a second click finds it gone
    flash(message, "success")
    return redirect(quiz_url(quiz) + "#questions")


# Export ------------------------------------------------------------------------------------------------------

def quiz_filename(quiz) -> str:
    """The file name the course folder uses for the quiz: NN-<module-slug>.gift, or final.gift."""
    if quiz.module is None:
        return FINAL_GIFT
    modules = sorted((m for m in quiz.course.modules if m.archived_at is None), key=lambda m: (m.position, m.id))
    stem = module_file_names(modules).get(quiz.module.slug, quiz.module.slug)
    return f"{stem}.gift"


def _download(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/<slug>/<int:quiz_id>/export.gift")
@role_required("trainer")
def export_quiz(slug, quiz_id):
    quiz = get_authored_quiz_or_404(slug, quiz_id, current_user)
    try:
        text = gift_export.dump_questions(gift_export.quiz_questions(quiz))
    except ValueError as exc:
        flash(_("The quiz cannot be written as GIFT: %(error)s", error=str(exc)), "danger")
        return redirect(quiz_url(quiz))
    return _download(text, quiz_filename(quiz))


@bp.get("/<slug>/export.gift")
@role_required("trainer")
def export_course(slug):
    """All the course's quizzes in one file, one `$CATEGORY: <course>/<module>` per quiz, as
    `lms quiz export-gift --course SLUG` writes it (and `import-gift` reads it back)."""
    course = access.get_authored_course_or_404(slug, current_user)
    try:
        text = gift_export.course_gift_single(course)
    except ValueError as exc:
        flash(_("The quizzes cannot be written as GIFT: %(error)s", error=str(exc)), "danger")
        return redirect(url_for("quiz_authoring.course_quizzes", slug=course.slug))
    return _download(text, f"{course.slug}-quizzes.gift")
