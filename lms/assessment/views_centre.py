"""ITS foundations and competence centres: the maturity of the companies that share their results with them."""
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessment import access, export, scoring, sharing
from lms.assessment.blueprint import bp
from lms.assessment.models import SECTORS, SIZES
from lms.assessment.questionnaire import questionnaire
from lms.http import attachment


def _rows(centre):
    return sharing.centre_rows(centre, questionnaire(), lambda letters: _("Company %(letters)s", letters=letters))


@bp.get("/centres/<int:centre_id>")
@login_required
def centre(centre_id):
    centre = access.get_centre_or_404(centre_id, current_user)
    rows = _rows(centre)
    locale = str(get_locale())
    dimensions = [(d.slug, d.name.for_locale(locale)) for d in questionnaire().dimensions]
    stages = [s.name.for_locale(locale) for s in questionnaire().stages]
    return render_template("assessment/centre.html", centre=centre, rows=rows, dimensions=dimensions,
                           stages=stages, distribution=sharing.distribution(rows, questionnaire()),
                           sizes=SIZES, sectors=SECTORS)


def _table(centre):
    locale = str(get_locale())
    dims = questionnaire().dimensions
    header = [_("Company"), _("Size"), _("Sector"), _("Submitted"), _("Overall"), _("Stage")] + \
        [d.name.for_locale(locale) for d in dims]
    rows = []
    for row in _rows(centre):
        stage = questionnaire().stage(scoring.stage_of(row.overall))
        rows.append([row.label, _(SIZES[row.size]) if row.size in SIZES else "",
                     _(SECTORS[row.sector]) if row.sector in SECTORS else "",
                     row.submitted_at.date().isoformat() if row.submitted_at else "", row.overall,
                     stage.name.for_locale(locale) if stage else ""] + [row.scores.get(d.slug) for d in dims])
    return header, rows


@bp.get("/centres/<int:centre_id>/export.csv")
@login_required
def export_csv(centre_id):
    centre = access.get_centre_or_404(centre_id, current_user)
    header, rows = _table(centre)
    return attachment(export.to_csv(header, rows), f"maturity-centre-{centre.id}.csv", "text/csv")


@bp.get("/centres/<int:centre_id>/export.xlsx")
@login_required
def export_xlsx(centre_id):
    centre = access.get_centre_or_404(centre_id, current_user)
    header, rows = _table(centre)
    return attachment(export.to_xlsx(_("Maturity"), header, rows), f"maturity-centre-{centre.id}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
