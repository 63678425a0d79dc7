"""The editor's helpers: revision history, diff and restore, live preview, image upload, course export."""
from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.decorators import role_required
from lms.auth.redirects import safe_next
from lms.courses import access, authoring, revisions, search, uploads
from lms.courses.blueprint import bp, media_base
from lms.courses.export import export_course_zip, export_filename
from lms.courses.forms import ImageUploadForm
from lms.dbtypes import utcnow
from lms.ids import parse_id
from lms.render import render


def _module(slug, module_slug):
    course = access.get_authored_course_or_404(slug, current_user)
    return course, access.get_authored_module_or_404(course, module_slug)


@bp.get("/authoring/<slug>/modules/<module_slug>/revisions")
@role_required("trainer")
def revisions_list(slug, module_slug):
    course, module = _module(slug, module_slug)
    history = sorted(module.revisions, key=lambda r: r.number, reverse=True)
    return render_template("courses/authoring/revisions.html", course=course, module=module, history=history)


@bp.get("/authoring/<slug>/modules/<module_slug>/revisions/<int:number>")
@role_required("trainer")
def revision_diff(slug, module_slug, number):
    """Revision `number` against `?against=` (default: the revision before it)."""
    course, module = _module(slug, module_slug)
    revision = revisions.get_revision_or_404(module, number)
    against = parse_id(request.args.get("against"))
    older = revisions.get_revision_or_404(module, against) if against else revisions.previous_revision(revision)
    caption = (_("Changes from revision %(a)d to revision %(b)d", a=older.number, b=revision.number) if older
               else _("Revision %(b)d, the first one", b=revision.number))
    table = revisions.diff_table(older.body if older else "", revision.body, caption)
    latest = authoring.latest_revision(module)
    return render_template("courses/authoring/revision_diff.html", course=course, module=module, revision=revision,
                           older=older, table=table, is_latest=latest is not None and latest.id == revision.id,
                           history=sorted(module.revisions, key=lambda r: r.number, reverse=True))


@bp.post("/authoring/<slug>/modules/<module_slug>/revisions/<int:number>/restore")
@role_required("trainer")
def revision_restore(slug, module_slug, number):
    course, module = _module(slug, module_slug)
    revision = revisions.get_revision_or_404(module, number)
    restored = authoring.restore_revision(module, revision, current_user, utcnow())
    search.reindex(course)
    flash(_("Revision %(old)d restored as revision %(new)d.", old=number, new=restored.number), "success")
    return redirect(url_for("courses.revisions_list", slug=course.slug, module_slug=module.slug))


@bp.post("/authoring/<slug>/preview")
@role_required("trainer")
def preview(slug):
    """The editor's live preview: sanitised HTML of the posted Markdown, through the same render() as a page view."""
    course = access.get_authored_course_or_404(slug, current_user)
    text = request.form.get("body", "")
    if len(text) > authoring.MAX_BODY_CHARS:
        abort(413)
    return Response(str(render(text, base_url=media_base(course))), mimetype="text/html")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.headers.get("X-Requested-With") == "fetch"


@bp.post("/authoring/<slug>/images")
@role_required("trainer")
def image_upload(slug):
    """Store an image for the course. The editor's script gets JSON with the Markdown to insert; a plain form
    post (no script) is redirected back with the Markdown in a message."""
    course = access.get_authored_course_or_404(slug, current_user)
    form = ImageUploadForm()
    back = safe_next(request.form.get("back"), url_for("courses.course_edit", slug=course.slug))
    if not form.validate_on_submit():
        message = _("Choose an image to upload.")
        if _wants_json():
            return jsonify({"error": message}), 400
        flash(message, "danger")
        return redirect(back)
    upload = form.image.data
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    try:
        path = uploads.save_image(current_app.config["UPLOAD_DIR"], course.slug, upload.filename or "",
                                  upload.read(limit + 1), limit)
    except uploads.UploadError as exc:
        if _wants_json():
            return jsonify({"error": str(exc)}), 400
        flash(str(exc), "danger")
        return redirect(back)
    markdown = f"![{uploads.alt_text_from(upload.filename or '')}]({path})"
    if _wants_json():
        return jsonify({"markdown": markdown, "path": path, "url": media_base(course) + path})
    flash(_("Image uploaded. Put this in the text where it belongs, and describe the picture: %(md)s", md=markdown),
          "success")
    return redirect(back)


@bp.get("/authoring/<slug>/export.zip")
@role_required("trainer")
def export(slug):
    """The course as a zip in the files format (course.md, NN-module.md, quizzes, media): `lms content sync` reads it."""
    course = access.get_authored_course_or_404(slug, current_user)
    return Response(export_course_zip(course), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{export_filename(course)}"', "Cache-Control": "no-store"})
