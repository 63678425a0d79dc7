"""Factories for profile tests: organisations, people with roles and memberships, filled profiles."""
import pytest

from lms.dbtypes import utcnow
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation
from lms.profiles import rules
from tests.conftest import PASSWORD


@pytest.fixture
def make_org(app):
    def make(name="Competence Lab Bologna", kind="competence_centre"):
        org = Organisation(name=name, kind=kind, city="Bologna")
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_person(create_user):
    """A user with roles and, optionally, a membership; `profile` fills their profile and makes it public."""

    def make(email, name, roles=("trainer",), org=None, profile=None, can_sign_in=False):
        # Hashing a password is slow on purpose: only people a test signs in as get one.
        user = create_user(email=email, name=name, roles=roles, password=PASSWORD if can_sign_in else None)
        if org is not None:
            people.add_member(org, user, "member")
        if profile is not None:
            fill_profile(user, **profile)
        db.session.commit()
        return user

    return make


def fill_profile(user, **fields):
    """Give `user` a profile with these ProfileChanges fields (public unless told), checked by the rules."""
    profile = rules.get_or_create_profile(user, utcnow())
    fields.setdefault("visibility", "public")
    if "organisation_id" not in fields and profile.organisation_id:
        fields["organisation_id"] = profile.organisation_id
    clean = rules.clean_changes(profile, rules.ProfileChanges(**fields))
    rules.apply_changes(profile, clean, utcnow())
    db.session.commit()
    return profile
