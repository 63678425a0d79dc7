"""Who may manage a lab's sessions, who may book or see a booking, and the guards pages and the API share.

Sessions are public (the calendar shows them to visitors). A coordinator manages the sessions of the labs
whose `coordinator` is their e-mail (and sessions without a lab, or that they created); admins manage all.
A booking is seen by its person, by whoever manages its session, and by a company manager of the person.
"""
from flask import abort
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.ids import MAX_ID, get_or_404  # noqa: F401  (MAX_ID: booking checks ids from a form against it)
from lms.labs.models import Booking, Lab, LabSession
from lms.orgs.people import organisations_of


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_manage_lab(user, lab: Lab | None) -> bool:
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    if not user.has_role("coordinator"):
        return False
    return lab is None or not lab.coordinator_email or lab.coordinator_email.lower() == user.email


def can_manage_session(user, session: LabSession) -> bool:
    if not _signed_in(user):
        return False
    return can_manage_lab(user, session.lab) or (user.has_role("coordinator") and session.created_by_id == user.id)


def managed_labs(user) -> list[Lab]:
    labs = db.session.scalars(select(Lab).where(Lab.archived_at.is_(None)).order_by(Lab.name))
    return [lab for lab in labs if can_manage_lab(user, lab)]


def managed_organisation_ids(user) -> set[int]:
    return {o.id for o in organisations_of(user, managed_only=True)} if _signed_in(user) else set()


def is_manager_of(manager, person: User) -> bool:
    """A company manager of one of `person`'s organisations."""
    managed = managed_organisation_ids(manager)
    return bool(managed) and any(o.id in managed for o in organisations_of(person))


def staff_of(manager) -> list[User]:
    """Active members of the organisations `manager` manages, by name (themselves excluded)."""
    people = {}
    for organisation in organisations_of(manager, managed_only=True):
        for membership in organisation.memberships:
            if membership.user.is_active and membership.user_id != manager.id:
                people[membership.user_id] = membership.user
    return sorted(people.values(), key=lambda u: u.name.lower())


def can_book_for(by, person: User, session: LabSession) -> bool:
    """Yourself; a company manager their staff; a session's coordinator (or an admin) anyone."""
    if not _signed_in(by):
        return False
    return by.id == person.id or can_manage_session(by, session) or is_manager_of(by, person)


def can_see_booking(user, booking: Booking) -> bool:
    if not _signed_in(user):
        return False
    return (booking.user_id == user.id or can_manage_session(user, booking.session)
            or is_manager_of(user, booking.user))


def get_lab_or_404(slug: str) -> Lab:
    lab = db.session.scalar(select(Lab).where(Lab.slug == slug, Lab.archived_at.is_(None)))
    return lab or abort(404)


def get_session_or_404(session_id: int, for_user=None, manage: bool = False) -> LabSession:
    """The session with this id; with `manage`, only if `for_user` manages it.

    :raise 404: no such session. :raise 403: `manage` and the person does not manage it.
    """
    session = get_or_404(LabSession, session_id)
    if manage and not can_manage_session(for_user, session):
        abort(403)
    return session


def get_booking_or_404(booking_id: int, for_user) -> Booking:
    """The booking with this id if `for_user` may see it.

    :raise 404: no such booking, or someone else's (its existence is not revealed).
    """
    return get_or_404(Booking, booking_id, lambda row: can_see_booking(for_user, row))
