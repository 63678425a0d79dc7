"""Profile pages, the people directory, profile editing and photos. Thin: parse, call a rule, render."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from lms import unit_of_work
from lms.auth import accounts
from lms.auth.decorators import admin_required
from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db, limiter
from lms.ids import bounded_page, parse_id
from lms.profiles import directory as people_directory
from lms.profiles import photos, rules, teaching, vocabulary
from lms.profiles.bio import active_content
from lms.profiles.forms import AddPersonForm, ProfileForm
from lms.profiles.models import Profile
from lms.render import render

bp = Blueprint("profiles", __name__)


@bp.app_template_filter("competence_label")
def competence_label(slug: str) -> str:
    return vocabulary.label(slug, str(get_locale() or "en"))


# Guards -------------------------------------------------------------------------------------------------

def get_profile_or_404(slug: str, for_user) -> Profile:
    """The profile at `slug` if it still belongs to someone who has a profile (admins see every one), else 404.

    Whether the viewer may see its data (visibility) is the caller's next question: rules.can_view().
    """
    profile = db.session.scalar(select(Profile).where(Profile.slug == slug))
    if profile is None:
        abort(404)
    if not rules.is_eligible(profile.user, profile) and not (for_user.is_authenticated and for_user.is_admin):
        abort(404)
    return profile


def get_editable_profile_or_404(slug: str, for_user) -> Profile:
    """The profile at `slug` if `for_user` may change it (its owner or an admin): 404 if none, else 403."""
    profile = db.session.scalar(select(Profile).where(Profile.slug == slug))
    if profile is None:
        abort(404)
    if not rules.can_edit(profile, for_user):
        abort(403)
    return profile


# The directory ----------------------------------------------------------------------------------------

@bp.get("/people/")
def directory():
    signed_in = current_user.is_authenticated
    filters = {
        "q": request.args.get("q", "").strip()[:100],
        "competence": request.args.get("competence", "").strip(),
        "organisation": request.args.get("organisation", "").strip(),
        "language": request.args.get("language", "").strip(),
        "its": request.args.get("its", "") == "1",
    }
    page, error, status = None, None, 200
    try:
        organisation_id = _organisation_id(filters["organisation"])
        page = people_directory.search(filters["q"], filters["competence"], organisation_id, filters["language"],
                                       filters["its"], bounded_page(), signed_in=signed_in)
    except people_directory.DirectoryError as exc:
        error, status = exc, 400
    its_ids = people_directory.its_user_ids([p.user_id for p in page.items]) if page else set()
    return render_template(
        "profiles/directory.html", page=page, error=error, filters=filters, its_ids=its_ids,
        chips=people_directory.competence_counts(signed_in), groups=vocabulary.grouped(),
        organisations=people_directory.organisations_listed(signed_in), language_names=vocabulary.LANGUAGES,
        add_form=AddPersonForm() if signed_in and current_user.is_admin else None,
    ), status


def _organisation_id(raw: str) -> int | None:
    if not raw:
        return None
    organisation_id = parse_id(raw)  # a number no row can have is no organisation either (and never a 500)
    if organisation_id is None:
        raise people_directory.DirectoryError("organisation", _("There is no such organisation. Choose one from the list."))
    return organisation_id


@bp.post("/people/add")
@admin_required
def admin_add():
    """Give a profile to someone without the trainer or ITS-staff role (a guest expert)."""
    form = AddPersonForm()
    user = None
    if form.validate_on_submit():
        try:
            user = User.by_email(accounts.normalise_email(form.email.data))
        except accounts.AccountError:
            user = None
    if user is None:
        flash(_("There is no account with this e-mail address. Invite the person first."), "danger")
        return redirect(url_for("profiles.directory"))
    profile = rules.get_or_create_profile(user, utcnow(), listed_by_admin=True)
    flash(_("%(name)s now has a profile. Fill it in or let them do it.", name=user.name), "success")
    return redirect(url_for("profiles.edit", slug=profile.slug))


# Profile pages ----------------------------------------------------------------------------------------

@bp.get("/people/<slug>")
def profile(slug):
    profile = get_profile_or_404(slug, current_user)
    if not rules.can_view(profile, current_user):
        # As for any page that needs a signed-in person (login_required): to the sign-in page and back here.
        flash(_("This person shares their profile with signed-in users only."), "info")
        return redirect(url_for("auth.login", next=request.path))
    groups, others = rules.grouped_competences(profile)
    return render_template(
        "profiles/profile.html", profile=profile, person=profile.user,
        courses=teaching.courses_taught(profile.user),
        lab_sessions=teaching.upcoming_lab_sessions(profile.user, utcnow()),
        its_teacher=teaching.teaches_at_its(profile.user), can_edit=rules.can_edit(profile, current_user),
        competence_groups=groups, other_competences=others, language_names=vocabulary.LANGUAGES,
    )


@bp.get("/people/by-email/<email>")
def by_email(email):
    """Course pages link trainers by e-mail; this finds their profile (made with their role: rules.init_hooks)."""
    try:
        user = User.by_email(accounts.normalise_email(email))
    except accounts.AccountError:
        user = None
    profile = rules.profile_of(user) if user else None
    if user is None or profile is None or not rules.is_eligible(user, profile):
        abort(404)
    return redirect(url_for("profiles.profile", slug=profile.slug))


@bp.get("/people/<slug>/photo")
def photo(slug):
    profile = get_profile_or_404(slug, current_user)
    if not rules.can_view(profile, current_user):
        abort(404)
    path = photos.path_of(current_app.config["UPLOAD_DIR"], profile.photo, request.args.get("size") == "thumb")
    if path is None or not path.is_file():
        abort(404)
    # The URL carries ?v=<photo name>, so a new photo is a new URL and the old one may be cached long.
    response = send_file(path, mimetype="image/jpeg", max_age=86400, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    if not profile.is_public:
        response.cache_control.public = False
        response.cache_control.private = True
    return response


# Editing ----------------------------------------------------------------------------------------------

@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def edit_own():
    profile = rules.profile_of(current_user)
    if not rules.is_eligible(current_user, profile):
        abort(403)
    if profile is None:  # made with the role (rules.init_hooks) or by the migration for older accounts: a fault
        return render_template("profiles/missing.html"), 404
    return _edit(profile)


@bp.route("/people/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    return _edit(get_editable_profile_or_404(slug, current_user))


def _edit(profile: Profile):
    # A POST is the whole profile: a field left out is empty, not "keep the stored value".
    form = ProfileForm(obj=profile if request.method == "GET" else None)
    form.organisation_id.choices = [(0, _("— none —"))] + [(o.id, o.name) for o in rules.memberships_of(profile.user)]
    if not current_user.is_admin:
        del form.is_listed_by_admin
    if request.method == "GET":
        form.organisation_id.data = profile.organisation_id or 0
        form.teach_tags.data = ", ".join(c.tag for c in profile.free_tags if not c.is_expert)
        form.expert_tags.data = ", ".join(c.tag for c in profile.free_tags if c.is_expert)
        levels = {c.slug: c.level for c in profile.vocabulary_competences}
    else:
        levels = {slug: request.form.get(f"level-{slug}", "can_teach") for slug in request.form.getlist("competence")}
    competences_error = None
    if form.validate_on_submit():
        errors = _save(profile, form, levels)
        if not errors:
            flash(_("Your profile is saved.") if profile.user_id == current_user.id else _("The profile is saved."),
                  "success")
            return redirect(url_for("profiles.profile", slug=profile.slug))
        competences_error = errors.pop("competences", None)
        for name, message in errors.items():
            (form[name].errors if name in form else form.photo.errors).append(message)
    if request.method == "POST":
        flash(_("Nothing was saved: please correct the fields marked below."), "danger")
    status = 422 if request.method == "POST" else 200
    return render_template("profiles/edit.html", form=form, profile=profile, levels=levels,
                           groups=vocabulary.grouped(), competences_error=competences_error,
                           level_names=vocabulary.LEVELS,
                           upload_limit_mb=photos.megabytes(current_app.config["UPLOAD_MAX_BYTES"])), status


def _save(profile: Profile, form: ProfileForm, levels: dict[str, str]) -> dict[str, str]:
    """Check everything, then store the photo and the changes; returns the errors (nothing stored)."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    errors, processed = {}, None
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        try:
            processed = photos.process(upload.stream.read(limit + 1), limit)
        except photos.PhotoError as exc:
            errors["photo"] = str(exc)
    changes = rules.ProfileChanges(
        headline=form.headline.data or "", bio=form.bio.data or "", organisation_id=form.organisation_id.data or None,
        languages=form.languages.data or [], show_email=form.show_email.data, phone=form.phone.data or "",
        website=form.website.data or "", linkedin_url=form.linkedin_url.data or "", visibility=form.visibility.data,
        competences=levels, teach_tags=form.teach_tags.data or "", expert_tags=form.expert_tags.data or "",
        is_listed_by_admin=form.is_listed_by_admin.data if "is_listed_by_admin" in form else None,
    )
    try:
        clean = rules.clean_changes(profile, changes)
    except rules.ProfileError as exc:
        errors.update(exc.errors)
    if errors:
        return errors
    old_photo = profile.photo
    new_photo = photos.store(processed, upload_dir) if processed else None
    rules.apply_changes(profile, clean, utcnow())
    if new_photo:
        profile.photo = new_photo
    elif form.remove_photo.data:
        profile.photo = None
    try:
        db.session.flush()
    except Exception:
        db.session.rollback()
        photos.delete(upload_dir, new_photo)  # the row that would name it was not written
        raise
    if old_photo and old_photo != profile.photo:
        # Only once the row no longer names it is committed (the request commits after this view).
        unit_of_work.after_commit(lambda: photos.delete(upload_dir, old_photo))
    return {}


@bp.post("/me/profile/preview")
@login_required
@limiter.limit("60 per minute")
def preview():
    """The bio as it will be shown (CSRF-checked POST, the same render as the profile page), as an HTML fragment."""
    if not (current_user.is_admin or rules.is_eligible(current_user, rules.profile_of(current_user))):
        abort(403)
    text = request.form.get("text", "")
    if len(text) > rules.BIO_MAX:
        abort(413)
    html = render(text)
    found = active_content(text)
    if found:
        warning = _("This text contains HTML that could run code (%(what)s): it cannot be saved like this.", what=found)
        html = Markup('<div class="alert alert-warning" role="alert">%s</div>') % escape(warning) + html
    return html, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
