"""Rules that put people into organisations and cohorts, and invite them."""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.orgs.models import MEMBER_ROLES, Cohort, CohortMember, Membership, Organisation


class MembershipError(ValueError):
    """A rule refused the request; the message is safe to show."""


def add_member(organisation: Organisation, user: User, role: str = "member") -> Membership:
    """Make `user` a member (or manager) of `organisation`; an existing membership takes the new role."""
    if role not in MEMBER_ROLES:
        raise MembershipError(str(_l("Unknown membership role: %(role)s", role=role)))
    membership = db.session.scalar(
        select(Membership).where(Membership.organisation_id == organisation.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(organisation=organisation, user=user, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    return membership


def add_to_cohort(cohort: Cohort, user: User) -> CohortMember:
    existing = db.session.scalar(
        select(CohortMember).where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id)
    )
    if existing:
        return existing
    row = CohortMember(cohort=cohort, user=user)
    db.session.add(row)
    db.session.flush()
    return row


def get_or_create_cohort(organisation: Organisation, name: str) -> Cohort:
    name = name.strip()
    if not organisation.is_its:
        raise MembershipError(str(_l("Only an ITS foundation has cohorts.")))
    cohort = db.session.scalar(select(Cohort).where(Cohort.organisation_id == organisation.id, Cohort.name == name))
    if cohort is None:
        cohort = Cohort(organisation=organisation, name=name)
        db.session.add(cohort)
        db.session.flush()
    return cohort


def invite_person(email, name, role, organisation, membership_role, now: datetime, lifetime: timedelta):
    """Add a person to `organisation` with `role`; a new account gets an invitation token.

    Returns (user, token): token is None when the person already had an account (they are simply added).
    """
    email = accounts.normalise_email(email)
    user = User.by_email(email)
    token = None
    if user is None:
        user = accounts.create_user(email, name, roles=[role])
        token = accounts.issue_account_token(user, "invite", now, lifetime)
    else:
        user.add_role(role)
    if organisation is not None:
        add_member(organisation, user, membership_role)
    return user, token


def organisation_choices() -> list[tuple[int, str]]:
    """[(id, name)] of every organisation, by name: the admin's invite form and a lab session's audience list them."""
    return [(o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))]


def invite_to_organisation(email, name, role, organisation_id, membership_role, now: datetime, lifetime: timedelta):
    """`invite_person` for the admin's invite form (registered from init_app): the organisation by id (None:
    no organisation); returns (user, token, organisation). A refusal is an AccountError, which the form shows."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    try:
        user, token = invite_person(email, name, role, organisation, membership_role, now, lifetime)
    except MembershipError as exc:
        raise accounts.AccountError(str(exc)) from exc
    return user, token, organisation


def organisation_ids_of(user: User, role: str | None = None):
    """The statement selecting the ids of the organisations `user` belongs to (as `role` only, when given): run
    it, or use it inside another query (`Organisation.id.in_(organisation_ids_of(user))`)."""
    query = select(Membership.organisation_id).where(Membership.user_id == user.id)
    return query if role is None else query.where(Membership.role == role)


def organisations_of(user: User, managed_only: bool = False) -> list[Organisation]:
    query = select(Organisation).join(Membership).where(Membership.user_id == user.id).order_by(Organisation.name)
    if managed_only:
        query = query.where(Membership.role == "manager")
    return list(db.session.scalars(query))
