"""A company's assessment: the landing page, starting it, the overview of a version, inviting colleagues,
sharing with a centre, revising after submission and repeating after six months."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessment import access, rounds, sharing
from lms.assessment.blueprint import bp
from lms.assessment.forms import InviteForm, ShareForm, StartForm
from lms.assessment.models import AREAS, SECTORS, SIZES, Assessment, AssessmentResponse
from lms.assessment.questionnaire import questionnaire
from lms.auth.invitations import send_invitation
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.notify import mail
from lms.orgs.models import Organisation
from lms.orgs.people import organisations_of


def _company_or_404(organisation_id: int) -> Organisation:
    """A company the current user manages (admins: any company); 404 otherwise."""
    if not 0 < organisation_id <= access.MAX_ID:
        abort(404)
    company = db.session.get(Organisation, organisation_id)
    if company is None or company.kind != "company" or not rounds.can_manage(current_user, company):
        abort(404)
    return company


@bp.get("/")
@login_required
def index():
    managed = [o for o in organisations_of(current_user, managed_only=True) if o.kind == "company"]
    companies = [(o, rounds.current_of(o), rounds.latest_result(o)) for o in managed]
    mine = db.session.scalars(
        db.select(AssessmentResponse).join(Assessment).where(AssessmentResponse.user_id == current_user.id, Assessment.closed_at.is_(None))
        .order_by(Assessment.created_at.desc()))
    return render_template("assessment/index.html", companies=companies, responses=list(mine),
                           centres=access.centres_of(current_user), total=len(questionnaire().questions),
                           dimensions=questionnaire().dimensions)


@bp.get("/companies/<int:organisation_id>")
@login_required
def company(organisation_id):
    company = _company_or_404(organisation_id)
    current = rounds.current_of(company)
    if current is not None:
        return redirect(url_for("assessment.overview", assessment_id=current.id))
    form = StartForm()
    profile = rounds.profile_of(company)
    if profile is not None:
        form.size.data, form.sector.data = profile.size, profile.sector
    return render_template("assessment/start.html", company=company, form=form, questionnaire=questionnaire())


@bp.post("/companies/<int:organisation_id>/start")
@login_required
def start(organisation_id):
    company = _company_or_404(organisation_id)
    form = StartForm()
    if not form.validate():
        return render_template("assessment/start.html", company=company, form=form,
                               questionnaire=questionnaire()), 400
    try:
        rounds.set_profile(company, form.size.data, form.sector.data)
        assessment = rounds.start(company, current_user, mode=form.mode.data, area=form.area.data, now=utcnow(),
                                  qversion=questionnaire().version)
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(url_for("assessment.company", organisation_id=company.id))
    db.session.flush()
    return redirect(url_for("assessment.answer", assessment_id=assessment.id))


@bp.get("/<int:assessment_id>")
@login_required
def overview(assessment_id):
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    company = assessment.organisation
    manages = rounds.can_manage(current_user, company)
    share_form = ShareForm()
    share_form.centre.choices = [(c.id, c.name) for c in sharing.centres()]
    return render_template(
        "assessment/overview.html", assessment=assessment, company=company, manages=manages,
        mine=assessment.response_of(current_user), invite_form=InviteForm(), share_form=share_form,
        shares=sharing.shares_of(company) if manages else [], versions=rounds.versions_of(company) if manages else [],
        profile=rounds.profile_of(company), sizes=SIZES, sectors=SECTORS, areas=AREAS,
        total=len(questionnaire().questions), **rounds.repeat_offer(assessment, manages, utcnow()),
    )


@bp.post("/<int:assessment_id>/invite")
@login_required
def invite(assessment_id):
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    back = url_for("assessment.overview", assessment_id=assessment.id)
    form = InviteForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(back)
    lifetime = timedelta(days=current_app.config["INVITE_TOKEN_DAYS"])
    try:
        response, token = rounds.invite(assessment, current_user, email=form.email.data, name=form.name.data,
                                        area=form.area.data, now=utcnow(), lifetime=lifetime)
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(back)
    if token:
        send_invitation(response.user, token, assessment.organisation)
    mail.queue(db.session, mail.build_message(
        response.user.email, _("Your view on %(org)s's digital maturity", org=assessment.organisation.name),
        "assessment/email/invited", person=response.user, manager=current_user, company=assessment.organisation,
        minutes="15–20", link=mail.absolute_url("assessment.answer", assessment_id=assessment.id),
        has_account=token is None))
    flash(_("%(name)s is invited: they will answer on their own, and you will see the team's result.",
            name=response.user.name), "success")
    return redirect(back)


@bp.post("/<int:assessment_id>/revise")
@login_required
def revise(assessment_id):
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    try:
        new = rounds.revise(assessment, current_user, utcnow())
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(url_for("assessment.overview", assessment_id=assessment.id))
    db.session.flush()
    flash(_("Version %(n)d started: change your answers and submit again. The earlier version is kept.",
            n=new.version), "info")
    return redirect(url_for("assessment.answer", assessment_id=new.id))


@bp.post("/companies/<int:organisation_id>/repeat")
@login_required
def repeat(organisation_id):
    company = _company_or_404(organisation_id)
    try:
        assessment = rounds.repeat(company, current_user, now=utcnow(), qversion=questionnaire().version)
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(url_for("assessment.company", organisation_id=company.id))
    db.session.flush()
    flash(_("A new round has started; the same colleagues can answer again. The result will show the change."),
          "success")
    return redirect(url_for("assessment.answer", assessment_id=assessment.id))


@bp.post("/companies/<int:organisation_id>/share")
@login_required
def share(organisation_id):
    company = _company_or_404(organisation_id)
    form = ShareForm()
    centres = {c.id: c for c in sharing.centres()}
    form.centre.choices = [(c.id, c.name) for c in centres.values()]
    back = url_for("assessment.company", organisation_id=company.id)
    if not form.validate() or form.centre.data not in centres:
        flash(_("Choose an ITS foundation or a competence centre from the list."), "danger")
        return redirect(back)
    try:
        sharing.share(company, centres[form.centre.data], by=current_user, show_name=form.show_name.data,
                      now=utcnow())
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(back)
    flash(_("Your results are shared with %(centre)s.", centre=centres[form.centre.data].name), "success")
    return redirect(back)


@bp.post("/companies/<int:organisation_id>/shares/<int:share_id>/delete")
@login_required
def unshare(organisation_id, share_id):
    company = _company_or_404(organisation_id)
    if not 0 < share_id <= access.MAX_ID:
        abort(404)
    sharing.unshare(company, share_id, by=current_user)
    flash(_("Sharing stopped."), "info")
    return redirect(url_for("assessment.company", organisation_id=company.id))


@bp.app_template_filter("score")
def score_filter(value):
    """A score for people: one decimal, or a dash when there is none."""
    return "–" if value is None else f"{value:.1f}"


def area_label(area: str) -> str:
    return _(AREAS.get(area, AREAS["other"]))


@bp.app_context_processor
def assessment_labels():
    return {"assessment_area_label": area_label}

