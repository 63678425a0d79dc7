"""Admin pages for organisations, their members and cohorts, and bulk enrolment."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from lms import unit_of_work
from lms.auth.decorators import admin_required
from lms.auth.invitations import send_invitation
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.ids import get_or_404
from lms.orgs import enrolment, people
from lms.orgs.forms import CohortForm, CsvCommitForm, CsvUploadForm, OrganisationForm
from lms.orgs.models import KINDS, Cohort, Membership, Organisation
from lms.pending import pending_uploads

bp = Blueprint("orgs", __name__, url_prefix="/admin/organisations")


def get_organisation_or_404(org_id: int) -> Organisation:
    return get_or_404(Organisation, org_id)


@bp.get("/")
@admin_required
def index():
    kind = request.args.get("kind", "")
    query = select(Organisation, func.count(Membership.id)).outerjoin(Membership).group_by(Organisation.id)
    if kind in KINDS:
        query = query.where(Organisation.kind == kind)
    rows = db.session.execute(query.order_by(Organisation.name)).all()
    return render_template("orgs/index.html", rows=rows, kind=kind, kinds=KINDS)


def _save(form, organisation):
    clash = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == form.name.data.strip().lower()))
    if clash is not None and clash is not organisation:
        form.name.errors.append(_("Another organisation already has this name."))
        return False
    form.populate_obj(organisation)
    organisation.name = organisation.name.strip()
    db.session.add(organisation)
    db.session.flush()  # a new organisation's id, for the redirect
    return True


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = OrganisationForm()
    organisation = Organisation()
    if form.validate_on_submit() and _save(form, organisation):
        flash(_("Organisation “%(name)s” created.", name=organisation.name), "success")
        return redirect(url_for("orgs.detail", org_id=organisation.id))
    return render_template("orgs/edit.html", form=form, organisation=None)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(org_id):
    organisation = get_organisation_or_404(org_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit() and _save(form, organisation):
        flash(_("Saved."), "success")
        return redirect(url_for("orgs.detail", org_id=organisation.id))
    return render_template("orgs/edit.html", form=form, organisation=organisation)


@bp.get("/<int:org_id>")
@admin_required
def detail(org_id):
    organisation = get_organisation_or_404(org_id)
    members = sorted(organisation.memberships, key=lambda m: m.user.name.lower())
    return render_template("orgs/detail.html", organisation=organisation, members=members,
                           organisation_kind_label=KINDS[organisation.kind],
                           cohort_form=CohortForm(), upload_form=CsvUploadForm())


@bp.post("/<int:org_id>/cohorts")
@admin_required
def add_cohort(org_id):
    organisation = get_organisation_or_404(org_id)
    form = CohortForm()
    if not organisation.is_its:
        flash(_("Only an ITS foundation has cohorts."), "danger")
    elif form.validate_on_submit():
        name = form.name.data.strip()
        if any(c.name.lower() == name.lower() for c in organisation.cohorts):
            flash(_("A cohort with this name already exists."), "danger")
        else:
            people.get_or_create_cohort(organisation, name)
            flash(_("Cohort “%(name)s” created.", name=name), "success")
    else:
        flash(_("Give the cohort a name."), "danger")
    return redirect(url_for("orgs.detail", org_id=org_id))


@bp.post("/<int:org_id>/members/<int:membership_id>/role")
@admin_required
def set_member_role(org_id, membership_id):
    membership = get_or_404(Membership, membership_id, lambda row: row.organisation_id == org_id)
    role = request.form.get("role", "")
    try:
        people.add_member(membership.organisation, membership.user, role)
    except people.MembershipError as exc:
        flash_refusal(exc)
    else:
        flash(_("%(name)s is now %(role)s.", name=membership.user.name, role=_(role)), "success")
    return redirect(url_for("orgs.detail", org_id=org_id))


@bp.post("/<int:org_id>/members/<int:membership_id>/remove")
@admin_required
def remove_member(org_id, membership_id):
    membership = get_or_404(Membership, membership_id, lambda row: row.organisation_id == org_id)
    name = membership.user.name
    db.session.delete(membership)
    flash(_("%(name)s is no longer a member.", name=name), "success")
    return redirect(url_for("orgs.detail", org_id=org_id))


@bp.get("/<int:org_id>/cohorts/<int:cohort_id>")
@admin_required
def cohort(org_id, cohort_id):
    row = get_or_404(Cohort, cohort_id, lambda row: row.organisation_id == org_id)
    return render_template("orgs/cohort.html", cohort=row, organisation=row.organisation)


@bp.post("/<int:org_id>/enrol/preview")
@admin_required
def enrol_upload(org_id):
    """Keep the upload on the server and show its preview at an address of its own (Post/Redirect/Get)."""
    organisation = get_organisation_or_404(org_id)
    form = CsvUploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a CSV file to upload."), "danger")
        return redirect(url_for("orgs.detail", org_id=org_id))
    try:
        text = enrolment.decode_csv(form.file.data.read(current_app.config["CSV_MAX_BYTES"] + 1),
                                    current_app.config["CSV_MAX_BYTES"])
    except ValueError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("orgs.detail", org_id=org_id))
    upload_id = pending_uploads().save(text, _upload_scope(organisation), current_user.id, utcnow())
    return redirect(url_for("orgs.enrol_preview", org_id=org_id, upload_id=upload_id))


@bp.get("/<int:org_id>/enrol/preview")
@admin_required
def enrol_upload_page(org_id):
    """Where the upload form posts: a reload or a language switch here goes back to the organisation."""
    return redirect(url_for("orgs.detail", org_id=get_organisation_or_404(org_id).id))


@bp.get("/<int:org_id>/enrol/preview/<upload_id>")
@admin_required
def enrol_preview(org_id, upload_id):
    organisation = get_organisation_or_404(org_id)
    plan = _planned_upload(organisation, upload_id)
    if plan is None:
        return _upload_gone(org_id)
    return render_template("orgs/enrol_preview.html", organisation=organisation, plan=plan,
                           form=CsvCommitForm(upload_id=upload_id)), (200 if plan.ok else 422)


def _upload_scope(organisation) -> str:
    return f"org:{organisation.id}"


def _planned_upload(organisation, upload_id: str) -> enrolment.EnrolPlan | None:
    """What the kept upload would do now (planned again, so it counts whoever registered since the preview);
    None when the upload is gone or is not this person's for this organisation."""
    text = pending_uploads().load(upload_id, _upload_scope(organisation), current_user.id, utcnow())
    return None if text is None else enrolment.plan_enrolment(text, organisation, current_app.config["CSV_MAX_ROWS"])


def _upload_gone(org_id):
    flash(_("This upload is no longer available (uploads are kept for %(n)d hours). Please upload the file again.",
            n=current_app.config["PENDING_HOURS"]), "warning")
    return redirect(url_for("orgs.detail", org_id=org_id))


@bp.post("/<int:org_id>/enrol/commit")
@admin_required
def enrol_commit(org_id):
    organisation = get_organisation_or_404(org_id)
    form = CsvCommitForm()
    if not form.validate_on_submit():
        abort(400)
    upload_id = form.upload_id.data
    plan = _planned_upload(organisation, upload_id)
    if plan is None:
        return _upload_gone(org_id)
    if not plan.ok:  # the data changed since the preview (e.g. someone registered meanwhile)
        return redirect(url_for("orgs.enrol_preview", org_id=org_id, upload_id=upload_id))
    lifetime = timedelta(days=current_app.config["INVITE_TOKEN_DAYS"])
    invited = enrolment.apply_plan(plan, organisation, utcnow(), lifetime)
    for user, token in invited:
        if token:
            send_invitation(user, token, organisation)
    pending = pending_uploads()
    unit_of_work.after_commit(lambda: pending.discard(upload_id))  # the file goes once the people are in
    new = sum(1 for _u, token in invited if token)
    flash(ngettext("Imported %(num)d person: %(new)d invited by e-mail, %(old)d existing accounts added.",
                   "Imported %(num)d people: %(new)d invited by e-mail, %(old)d existing accounts added.",
                   len(invited), new=new, old=len(invited) - new), "success")
    return redirect(url_for("orgs.detail", org_id=org_id))
