"""Authoring in the browser: trainers' courses, course settings, the module editor, publishing and ordering."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from lms.auth.decorators import role_required
from lms.courses import access, authoring, search
from lms.courses.blueprint import bp, media_base
from lms.courses.forms import (
    AUDIENCE_LABELS,
    CourseForm,
    CourseSettingsForm,
    ImageUploadForm,
    ModuleEditForm,
    ModuleForm,
)
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.render import render


def _form_error(form, exc: authoring.AuthoringError):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc)]
    else:
        form.form_errors.append(str(exc))
        flash(str(exc), "danger")


@bp.get("/authoring/")
@role_required("trainer")
def authoring_index():
    return render_template("courses/authoring/index.html", courses=access.authored_courses(current_user))


@bp.route("/authoring/new", methods=["GET", "POST"])
@role_required("trainer")
def course_create():
    form = CourseForm()
    if request.method == "GET":
        form.trainer_emails.data = current_user.email
    if form.validate_on_submit():
        try:
            course = authoring.create_course(
                form.slug.data, form.title.data, current_user, utcnow(), summary=form.summary.data,
                description=form.description.data, language=form.language.data, audience=form.audience.data,
                trainer_emails=form.trainer_list, prerequisites=form.prerequisite_list)
        except authoring.AuthoringError as exc:
            _form_error(form, exc)
        else:
            flash(_("Course “%(title)s” created as a draft. Add its first module.", title=course.title), "success")
            return redirect(url_for("courses.module_create", slug=course.slug))
    return render_template("courses/authoring/course_form.html", form=form, course=None), 422 if form.errors else 200


@bp.get("/authoring/<slug>/")
@role_required("trainer")
def course_edit(slug):
    course = access.get_authored_course_or_404(slug, current_user)
    modules = [m for m in course.modules if m.archived_at is None]
    archived = [m for m in course.modules if m.archived_at is not None]
    return render_template("courses/authoring/course.html", course=course, modules=modules, archived=archived,
                           audiences=AUDIENCE_LABELS)


@bp.route("/authoring/<slug>/settings", methods=["GET", "POST"])
@role_required("trainer")
def course_settings(slug):
    course = access.get_authored_course_or_404(slug, current_user)
    form = CourseSettingsForm(obj=course)
    if request.method == "GET":
        form.trainer_emails.data = "\n".join(course.trainer_emails or [])
        form.prerequisites.data = "\n".join(course.prerequisites or [])
    if form.validate_on_submit():
        try:
            authoring.update_course(course, utcnow(), form.title.data, form.summary.data, form.description.data,
                                    form.language.data, form.audience.data, form.trainer_list,
                                    form.prerequisite_list, editor=current_user)
        except authoring.AuthoringError as exc:
            _form_error(form, exc)
        else:
            search.reindex(course)
            flash(_("Course settings saved."), "success")
            return redirect(url_for("courses.course_edit", slug=course.slug))
    return render_template("courses/authoring/course_form.html", form=form, course=course), 422 if form.errors else 200


def _publish_or_flash(course, change, done: str) -> None:
    """Run ``change`` (an ``authoring.set_*_published`` call) for ``course``: done, the course is reindexed and
    ``done`` flashed; refused, the request is rolled back and the reason flashed (lms.http.flash_refusal)."""
    try:
        change()
    except authoring.AuthoringError as exc:
        flash_refusal(exc)
    else:
        search.reindex(course)
        flash(done, "success")


def _set_course_published(slug, published):
    course = access.get_authored_course_or_404(slug, current_user)
    _publish_or_flash(course, lambda: authoring.set_course_published(course, published, utcnow()),
                      _("The course is published: learners find it in the catalogue.") if published
                      else _("The course is now a draft: only its trainers and admins see it."))
    return redirect(url_for("courses.course_edit", slug=course.slug))


@bp.post("/authoring/<slug>/publish")
@role_required("trainer")
def course_publish(slug):
    return _set_course_published(slug, True)


@bp.post("/authoring/<slug>/unpublish")
@role_required("trainer")
def course_unpublish(slug):
    return _set_course_published(slug, False)


@bp.post("/authoring/<slug>/reorder")
@role_required("trainer")
def reorder(slug):
    """The order comes as `order` (every module id, in order); `move` ("<id>:-1" or "<id>:1") shifts one of them."""
    course = access.get_authored_course_or_404(slug, current_user)
    try:
        order = [int(v) for v in request.form.getlist("order")]
        if request.form.get("move"):
            module_id, step = (int(v) for v in request.form["move"].split(":"))
            order = authoring.moved(order, module_id, step)
        authoring.reorder(course, order, utcnow())
    except authoring.AuthoringError as exc:
        flash_refusal(exc)
    except ValueError:
        flash_refusal(_("The new order was not understood."))
    else:
        flash(_("Module order saved."), "success")
    return redirect(url_for("courses.course_edit", slug=course.slug) + "#modules")


@bp.route("/authoring/<slug>/modules/new", methods=["GET", "POST"])
@role_required("trainer")
def module_create(slug):
    course = access.get_authored_course_or_404(slug, current_user)
    form = ModuleForm()
    if request.method == "GET":
        form.minutes.data = 20
    if form.validate_on_submit():
        try:
            module = authoring.create_module(course, form.slug.data, form.title.data, form.minutes.data,
                                             form.body.data, current_user, utcnow(), summary=form.summary.data,
                                             audience=form.audience.data)
            db.session.flush()
        except authoring.AuthoringError as exc:
            _form_error(form, exc)
        except IntegrityError:  # the same address was taken by a concurrent request
            db.session.rollback()
            form.slug.errors = [_("Another module of this course already uses this address.")]
        else:
            search.reindex(course)
            flash(_("Module “%(title)s” created as a draft.", title=module.title), "success")
            return redirect(url_for("courses.module_edit", slug=course.slug, module_slug=module.slug))
    return _editor(course, None, form)


def _editor(course, module, form, status=None):
    status = status or (422 if form.errors else 200)
    return render_template("courses/authoring/module_form.html", course=course, module=module, form=form,
                           preview=render(form.body.data or "", base_url=media_base(course)),
                           upload_form=ImageUploadForm(), max_upload=current_app.config["UPLOAD_MAX_BYTES"]), status


@bp.route("/authoring/<slug>/modules/<module_slug>/edit", methods=["GET", "POST"])
@role_required("trainer")
def module_edit(slug, module_slug):
    course = access.get_authored_course_or_404(slug, current_user)
    module = access.get_authored_module_or_404(course, module_slug)
    form = ModuleEditForm(obj=module)
    if request.method == "GET":
        form.audience.data = module.audience or []
        latest = authoring.latest_revision(module)
        form.base_revision.data = str(latest.number) if latest else ""
        form.note.data = ""
    if form.validate_on_submit():
        base = form.base_revision.data
        try:
            revision = authoring.update_module(
                module, form.title.data, form.minutes.data, form.body.data, current_user, utcnow(),
                summary=form.summary.data, audience=form.audience.data, note=form.note.data or "",
                expected_revision=int(base) if base and base.isdigit() else None)
            db.session.flush()
        except authoring.RevisionConflict as exc:
            flash_refusal(exc)
            # The next save is made knowingly over the newer revision.
            form.base_revision.data = str(authoring.latest_revision(module).number)
            return _editor(course, module, form, status=409)
        except authoring.AuthoringError as exc:
            db.session.rollback()
            _form_error(form, exc)
        except IntegrityError:  # a concurrent save took the same revision number
            db.session.rollback()
            flash(_("Someone saved this module at the same moment. Your text is kept below: save again."), "danger")
            return _editor(course, module, form, status=409)
        else:
            search.reindex(course)
            if revision is None:
                flash(_("Saved. The text did not change, so no new revision was made."), "info")
            else:
                flash(_("Saved as revision %(n)d.", n=revision.number), "success")
            return redirect(url_for("courses.module_edit", slug=course.slug, module_slug=module.slug))
    return _editor(course, module, form)


def _set_module_published(slug, module_slug, published):
    course = access.get_authored_course_or_404(slug, current_user)
    module = access.get_authored_module_or_404(course, module_slug)
    _publish_or_flash(course, lambda: authoring.set_module_published(module, published, utcnow()),
                      _("“%(title)s” is published.", title=module.title) if published
                      else _("“%(title)s” is now a draft.", title=module.title))
    if request.form.get("back") == "editor":
        return redirect(url_for("courses.module_edit", slug=course.slug, module_slug=module.slug))
    return redirect(url_for("courses.course_edit", slug=course.slug) + "#modules")


@bp.post("/authoring/<slug>/modules/<module_slug>/publish")
@role_required("trainer")
def module_publish(slug, module_slug):
    return _set_module_published(slug, module_slug, True)


@bp.post("/authoring/<slug>/modules/<module_slug>/unpublish")
@role_required("trainer")
def module_unpublish(slug, module_slug):
    return _set_module_published(slug, module_slug, False)
