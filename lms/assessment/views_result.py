"""The result: chart, stage, strengths and priorities with their path, team figures, comparison and benchmark;
the PDF report; "Start this path"."""
import json

from flask import Response as HttpResponse
from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessment import access, path, presenting, report, rounds, scoring
from lms.assessment.blueprint import bp
from lms.assessment.forms import PathForm
from lms.assessment.models import SECTORS, SIZES
from lms.assessment.questionnaire import questionnaire
from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal


def _visible_result(assessment_id: int):
    """The version and whether the viewer may see its team result: managers always, participants once they
    have submitted their own answers (so that the team's figures do not steer theirs)."""
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    mine = assessment.response_of(current_user)
    manages = rounds.can_manage(current_user, assessment.organisation)
    return assessment, mine, manages, manages or (mine is not None and mine.is_submitted)


def _result_view(assessment, now):
    """The result in the viewer's language, as the page and the PDF report show it, with each priority's path."""
    locale = str(get_locale())
    view = presenting.result_view(assessment, questionnaire(), locale)
    paths = {d.dimension.slug: presenting.path_for(d.dimension, now, locale) for d in view.priorities}
    return locale, view, paths


def chart_labels():
    return {"team": _("Your company"), "baseline": _("Previous round"), "peers": _("Similar firms")}


@bp.get("/<int:assessment_id>/result")
@login_required
def result(assessment_id):
    assessment, mine, manages, visible = _visible_result(assessment_id)
    if not visible:
        flash(_("Submit your own answers first: then you will see the team's result."), "info")
        return redirect(url_for("assessment.answer", assessment_id=assessment.id))
    now = utcnow()
    locale, view, paths = _result_view(assessment, now)
    shared = [(r, scoring.score_answers(rounds.dimension_map(questionnaire()), r.answers or {}))
              for r in assessment.submitted if r.shares_answers or r.user_id == current_user.id]
    form = None
    if manages and view.result.respondents:
        form = PathForm()
        form.people.choices = [(u.id, u.name) for u in path.company_people(assessment)]
        form.dimensions.choices = [(d.dimension.slug, d.name) for d in view.priorities]
        form.people.data = [r.user_id for r in assessment.responses]
        form.dimensions.data = [d.dimension.slug for d in view.priorities]
    profile = rounds.profile_of(assessment.organisation)
    return render_template(
        "assessment/result.html", assessment=assessment, view=view, paths=paths, mine=mine, manages=manages,
        shared=shared, form=form, profile=profile, sizes=SIZES, sectors=SECTORS, locale=locale,
        chart=json.dumps(presenting.chart_data(view, chart_labels())), minimum=scoring.BENCHMARK_MINIMUM,
        pending=[r for r in assessment.responses if not r.is_submitted], **rounds.repeat_offer(assessment, manages, now),
    )


@bp.get("/<int:assessment_id>/report.pdf")
@login_required
def report_pdf(assessment_id):
    assessment, _mine, _manages, visible = _visible_result(assessment_id)
    if not visible or not assessment.submitted:
        flash(_("The report is ready once answers are submitted."), "info")
        return redirect(url_for("assessment.overview", assessment_id=assessment.id))
    now = utcnow()
    locale, view, paths = _result_view(assessment, now)
    pdf = report.build_pdf(view, paths, questionnaire(), locale=locale, now=now)
    name = f"maturity-{assessment.organisation_id}-v{assessment.version}.pdf"
    return HttpResponse(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/<int:assessment_id>/path")
@login_required
def start_path(assessment_id):
    assessment = access.get_assessment_or_404(assessment_id, current_user)
    back = url_for("assessment.result", assessment_id=assessment.id)
    form = PathForm()
    form.people.choices = [(u.id, u.name) for u in path.company_people(assessment)]
    form.dimensions.choices = [(d.slug, d.slug) for d in questionnaire().dimensions]
    if not form.validate():
        flash(_("Choose at least one person and one priority."), "danger")
        return redirect(back)
    people = [db.session.get(User, i) for i in form.people.data]
    try:
        outcome = path.start_path(assessment, questionnaire(), by=current_user, people=[p for p in people if p],
                                  dimension_slugs=form.dimensions.data, book_labs=form.book_labs.data, now=utcnow(),
                                  locale=str(get_locale()))
    except rounds.AssessmentError as exc:
        flash_refusal(exc)
        return redirect(back)
    flash(ngettext("%(num)d enrolment made.", "%(num)d enrolments made.", len(outcome.enrolled)) + " "
          + ngettext("%(num)d lab seat booked.", "%(num)d lab seats booked.", len(outcome.booked)), "success")
    if outcome.already_enrolled or outcome.already_booked:
        flash(_("Some people were already enrolled or booked: nothing changed for them."), "info")
    if outcome.labs_without_session:
        flash(_("No open session yet for: %(labs)s. See the lab pages and book when dates are published.",
                labs=", ".join(outcome.labs_without_session)), "warning")
    for problem in dict.fromkeys(outcome.problems):
        flash(problem, "warning")
    return redirect(back + "#path")

