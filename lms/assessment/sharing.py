"""A company shares its results with ITS foundations and competence centres; a centre sees the distribution of
maturity across the companies that share with it, with names only where a company allowed it.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.assessment import rounds, scoring
from lms.assessment.access import CENTRE_KINDS
from lms.assessment.models import AssessmentShare
from lms.assessment.questionnaire import Questionnaire
from lms.assessment.rounds import FORBIDDEN, AssessmentError, can_manage
from lms.extensions import db
from lms.orgs.models import Organisation


def shares_of(company: Organisation) -> list[AssessmentShare]:
    return list(db.session.scalars(select(AssessmentShare).where(AssessmentShare.company_id == company.id)
                                   .order_by(AssessmentShare.id)))


def centres() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.kind.in_(CENTRE_KINDS))
                                   .order_by(Organisation.name)))


def share(company: Organisation, centre: Organisation, *, by, show_name: bool, now: datetime) -> AssessmentShare:
    """Share (or update the sharing of) the company's results with `centre`.

    :raise AssessmentError: not a manager (403), or `centre` is not an ITS foundation or competence centre.
    """
    if not can_manage(by, company):
        raise AssessmentError(str(_l("Only a manager of %(org)s can share its results.", org=company.name)), FORBIDDEN)
    if centre.kind not in CENTRE_KINDS:
        raise AssessmentError(str(_l("Results can be shared only with an ITS foundation or a competence centre.")))
    row = db.session.scalar(select(AssessmentShare).where(AssessmentShare.company_id == company.id,
                                                          AssessmentShare.centre_id == centre.id))
    if row is None:
        row = AssessmentShare(company=company, centre=centre, created_at=now)
        db.session.add(row)
    row.show_name = bool(show_name)
    db.session.flush()
    return row


def unshare(company: Organisation, share_id: int, *, by) -> None:
    if not can_manage(by, company):
        raise AssessmentError(str(_l("Only a manager of %(org)s can share its results.", org=company.name)), FORBIDDEN)
    row = db.session.get(AssessmentShare, share_id)
    if row is not None and row.company_id == company.id:
        db.session.delete(row)
        db.session.flush()


@dataclass
class CompanyRow:
    label: str  # the company's name, or "Company A" when it did not allow its name
    named: bool
    size: str
    sector: str
    submitted_at: datetime | None
    overall: float | None
    scores: dict


def _letters(n: int) -> str:
    """A, B, ..., Z, AA, AB... for anonymous labels."""
    label = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        label = chr(65 + rest) + label
    return label


def centre_rows(centre: Organisation | None, questionnaire: Questionnaire, anonymous_label) -> list[CompanyRow]:
    """The latest result of each company sharing with `centre` (None: every company, for admins; names shown).

    Anonymous companies are listed after the named ones, in an order that does not follow their names or ids.
    """
    if centre is None:
        companies = [(c, True) for c in db.session.scalars(select(Organisation).where(Organisation.kind == "company"))]
    else:
        companies = [(s.company, s.show_name) for s in db.session.scalars(
            select(AssessmentShare).where(AssessmentShare.centre_id == centre.id))]
    named, anonymous = [], []
    for company, show_name in companies:
        latest = rounds.latest_result(company)
        if latest is None:
            continue
        result = rounds.result_of(latest, questionnaire)
        profile = rounds.profile_of(company)
        row = CompanyRow(company.name if show_name else "", show_name, profile.size if profile else "",
                         profile.sector if profile else "", latest.submitted_at, result.overall, result.scores)
        (named if show_name else anonymous).append(row)
    named.sort(key=lambda r: r.label.lower())
    # Sorted by score, not by name or id, so an anonymous label cannot be matched to a company by its position.
    anonymous.sort(key=lambda r: (r.overall is None, -(r.overall or 0)))
    for index, row in enumerate(anonymous):
        row.label = anonymous_label(_letters(index))
    return named + anonymous


def distribution(rows: list[CompanyRow], questionnaire: Questionnaire) -> dict[str, list[int]]:
    return scoring.distribution([r.scores for r in rows], [d.slug for d in questionnaire.dimensions])
