"""The people directory: find trainers and ITS teachers by name, competence, organisation, language, ITS."""
import math

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy.orm import selectinload

from lms.auth.models import User, UserRole
from lms.extensions import db
from lms.orgs.models import Membership, Organisation
from lms.paging import Page
from lms.profiles import vocabulary
from lms.profiles.models import PROFILE_ROLES, Profile, ProfileCompetence

PER_PAGE = 12


class DirectoryError(ValueError):
    """A filter names something that does not exist; `field` says which, the message is safe to show."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def listed_profiles(signed_in: bool):
    """The query of profiles the directory may show: active people with a profile role or listed by an admin;
    members-only profiles only for a signed-in viewer."""
    has_role = User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(PROFILE_ROLES)))
    query = (select(Profile).join(User, Profile.user_id == User.id)
             .where(User.is_active.is_(True), or_(has_role, Profile.is_listed_by_admin.is_(True))))
    if not signed_in:
        query = query.where(Profile.visibility == "public")
    return query


def teaches_at_its():
    """A condition on User: member of an ITS foundation, or holding the its_staff role."""
    its_member = exists().where(Membership.user_id == User.id, Membership.organisation_id == Organisation.id,
                                Organisation.kind == "its")
    its_staff = exists().where(UserRole.user_id == User.id, UserRole.role == "its_staff")
    return or_(its_member, its_staff)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def check_filters(competence: str = "", organisation_id: int | None = None, language: str = ""):
    """DirectoryError for a filter that names an unknown competence, organisation or language."""
    if competence and vocabulary.get(competence) is None:
        raise DirectoryError("competence", str(_l(
            "There is no competence “%(slug)s”. Choose one from the list.", slug=competence)))
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise DirectoryError("organisation", str(_l("There is no such organisation. Choose one from the list.")))
    if language and language not in vocabulary.LANGUAGES:
        raise DirectoryError("language", str(_l(
            "There is no language “%(code)s”. Choose one from the list.", code=language)))


def search(name: str = "", competence: str = "", organisation_id: int | None = None, language: str = "",
           its: bool = False, page: int = 1, per_page: int = PER_PAGE, signed_in: bool = False) -> Page:
    """One page of matching profiles, ordered by name (experts first when filtering by a competence).

    `name` matches a person's name, headline or free tags; `competence` is a vocabulary slug; `organisation_id`
    the organisation shown on the profile; `language` an ISO code; `its` keeps people who teach at an ITS.
    Raises DirectoryError for an unknown competence, organisation or language (never an empty page for a typo).
    """
    check_filters(competence, organisation_id, language)
    query = listed_profiles(signed_in)
    name = " ".join((name or "").split())
    if name:
        like = _like(name)
        tag_match = exists().where(ProfileCompetence.profile_id == Profile.id,
                                   ProfileCompetence.tag.like(like, escape="\\"))
        query = query.where(or_(func.lower(User.name).like(like, escape="\\"),
                                func.lower(Profile.headline).like(like, escape="\\"), tag_match))
    order = []
    if competence:
        query = query.where(exists().where(ProfileCompetence.profile_id == Profile.id,
                                           ProfileCompetence.slug == competence))
        level = (select(ProfileCompetence.level)
                 .where(ProfileCompetence.profile_id == Profile.id, ProfileCompetence.slug == competence)
                 .limit(1).scalar_subquery())
        order.append(level.desc())
    if organisation_id is not None:
        query = query.where(Profile.organisation_id == organisation_id)
    if language:
        # JSON list of two-letter codes; the quoted code cannot match inside another code.
        query = query.where(cast(Profile.languages, String).like(f'%"{language}"%'))
    if its:
        query = query.where(teaches_at_its())

    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    per_page = max(1, min(per_page, 100))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        query.options(selectinload(Profile.user), selectinload(Profile.organisation))  # one query each per page
        .order_by(*order, func.lower(User.name), Profile.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(page, per_page, total, list(items))


def competence_counts(signed_in: bool) -> dict[str, int]:
    """How many listed profiles hold each vocabulary competence (the directory's chips)."""
    listed = listed_profiles(signed_in).with_only_columns(Profile.id)
    rows = db.session.execute(
        select(ProfileCompetence.slug, func.count())
        .where(ProfileCompetence.slug.is_not(None), ProfileCompetence.profile_id.in_(listed))
        .group_by(ProfileCompetence.slug)
    ).all()
    return {slug: n for slug, n in rows}


def organisations_listed(signed_in: bool) -> list[Organisation]:
    """Organisations shown on at least one listed profile, by name (the organisation filter's choices)."""
    ids = listed_profiles(signed_in).with_only_columns(Profile.organisation_id)
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)))


def its_user_ids(user_ids: list[int]) -> set[int]:
    """Which of these people teach at an ITS (for the badge on directory cards), in one query."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(user_ids), teaches_at_its())))
