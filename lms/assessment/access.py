"""Who may see what of an assessment, and the guards that pages and the API share.

- A version (its overview and team result): the company's managers, the people taking part, admins.
  Anybody else gets a 404, so the existence of another company's assessment is never revealed.
- One person's own answers: that person; their colleagues only if the person chose to share them.
- A company's results over the API: admins, the company's managers, ITS staff who are members of it, and ITS
  staff of a centre the company shares its results with *by name*.
- A centre's distribution: admins, and ITS staff or managers who are members of that centre.
"""
from sqlalchemy import select

from lms.assessment.models import Assessment, AssessmentShare
from lms.extensions import db
from lms.ids import MAX_ID, get_or_404  # noqa: F401  (MAX_ID: the assessment views check ids of their own)
from lms.orgs import people
from lms.orgs.models import Organisation

CENTRE_KINDS = ("its", "competence_centre")


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_see_assessment(user, assessment: Assessment) -> bool:
    if not _signed_in(user):
        return False
    return (user.is_admin or assessment.organisation.is_manager(user)
            or assessment.response_of(user) is not None)


def get_assessment_or_404(assessment_id: int, for_user) -> Assessment:
    """The version `assessment_id` if `for_user` may see it.

    :raise 404: no such version, or another company's (its existence is not revealed).
    """
    return get_or_404(Assessment, assessment_id, lambda row: can_see_assessment(for_user, row))


def can_see_company_results(user, company: Organisation) -> bool:
    if not _signed_in(user) or company.kind != "company":
        return False
    if user.is_admin or company.is_manager(user):
        return True
    if not user.has_role("its_staff"):
        return False
    if company.membership_of(user) is not None:
        return True
    centres = set(db.session.scalars(people.organisation_ids_of(user)))
    return bool(centres) and db.session.scalar(select(AssessmentShare.id).where(
        AssessmentShare.company_id == company.id, AssessmentShare.centre_id.in_(centres),
        AssessmentShare.show_name.is_(True))) is not None


def get_company_or_404(organisation_id: int, for_user) -> Organisation:
    """A company whose results `for_user` may see. :raise 404: no such company, or not theirs to see."""
    return get_or_404(Organisation, organisation_id, lambda row: can_see_company_results(for_user, row))


def can_see_centre(user, centre: Organisation) -> bool:
    if not _signed_in(user) or centre.kind not in CENTRE_KINDS:
        return False
    if user.is_admin:
        return True
    membership = centre.membership_of(user)
    return membership is not None and (user.has_role("its_staff") or membership.role == "manager")


def get_centre_or_404(centre_id: int, for_user) -> Organisation:
    return get_or_404(Organisation, centre_id, lambda row: can_see_centre(for_user, row))


def centres_of(user) -> list[Organisation]:
    """The centres whose distribution `user` may see (admins: every centre)."""
    if not _signed_in(user):
        return []
    query = select(Organisation).where(Organisation.kind.in_(CENTRE_KINDS)).order_by(Organisation.name)
    return [c for c in db.session.scalars(query) if can_see_centre(user, c)]
