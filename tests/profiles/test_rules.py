"""Profile rules without HTTP: who has a profile, slugs, validation, competences, free tags, visibility, demo."""
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.profiles import rules, vocabulary
from lms.profiles.models import Profile, ProfileCompetence
from tests.profiles.conftest import fill_profile

ANONYMOUS = SimpleNamespace(is_authenticated=False)


def test_the_vocabulary_ships_real_topics_in_three_groups():
    slugs = vocabulary.by_slug()
    assert len(slugs) >= 30
    for slug in ("iiot", "digital-twin", "predictive-maintenance", "cobots", "hr-analytics", "change-management",
                 "gdpr-worker-monitoring", "open-innovation", "servitization", "sustainability-green-supply-chain"):
        assert slug in slugs
    assert {c.group for c in vocabulary.competences()} == set(vocabulary.GROUPS)
    assert vocabulary.label("digital-twin", "en") == "Digital twin"
    assert vocabulary.label("predictive-maintenance", "it") == "Manutenzione predittiva"
    assert vocabulary.label("gone-from-the-file") == "gone-from-the-file"


@pytest.mark.parametrize("text, message", [
    ("- slug: a\n  label: A\n  group: nope\n", "unknown group"),
    ("- slug: Bad Slug\n  label: A\n  group: hr\n", "bad slug"),
    ("- slug: a\n  label: A\n  group: hr\n- slug: a\n  label: B\n  group: hr\n", "duplicate slug"),
    ("- slug: a\n  group: hr\n", "label is required"),
])
def test_a_broken_vocabulary_file_is_refused_with_the_entry_named(text, message):
    with pytest.raises(vocabulary.VocabularyError, match=message):
        vocabulary.parse_vocabulary(text)


def test_trainers_and_its_staff_have_profiles_learners_do_not(create_user):
    trainer = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    its = create_user("i@example.com", "Ivo Its", roles=["its_staff"])
    learner = create_user("l@example.com", "Lea Learner", roles=["learner"])
    assert rules.is_eligible(trainer) and rules.is_eligible(its)
    assert not rules.is_eligible(learner)
    listed = rules.get_or_create_profile(learner, utcnow(), listed_by_admin=True)
    assert rules.is_eligible(learner, listed)  # an admin gave the learner a profile
    trainer.is_active = False
    assert not rules.is_eligible(trainer)


def test_slugs_come_from_the_name_and_are_de_duplicated(create_user):
    assert rules.slugify("Nicolò D'Amico") == "nicolo-d-amico"
    assert rules.slugify("王小明") == "person"
    first = create_user("a@example.com", "Giulia Ferri", roles=["trainer"])
    second = create_user("b@example.com", "Giulia  Ferri", roles=["trainer"])
    third = create_user("c@example.com", "GIULIA FERRI", roles=["trainer"])
    slugs = [rules.get_or_create_profile(u, utcnow()).slug for u in (first, second, third)]
    assert slugs == ["giulia-ferri", "giulia-ferri-2", "giulia-ferri-3"]
    reserved = create_user("d@example.com", "Add", roles=["trainer"])
    assert rules.get_or_create_profile(reserved, utcnow()).slug == "add-2"  # /people/add is a route


def test_get_or_create_makes_one_profile_with_the_its_as_default_organisation(create_user, make_org):
    company, its = make_org("Meccanica Srl", "company"), make_org("ITS Meccatronica", "its")
    from lms.orgs import people

    user = create_user("e@example.com", "Elena Ricci", roles=["trainer", "its_staff"])
    people.add_member(company, user)
    people.add_member(its, user)
    profile = rules.get_or_create_profile(user, utcnow())
    again = rules.get_or_create_profile(user, utcnow())
    db.session.commit()
    assert again.id == profile.id
    assert db.session.scalar(select(func.count(Profile.id))) == 1
    assert profile.organisation_id == its.id
    assert profile.visibility == "signed_in"  # members-only until the person chooses


def test_a_role_with_a_profile_brings_the_profile_in_its_transaction(create_user):
    """The directory and profile pages only read: the profile is made when the role is given."""
    create_user("t1@example.com", "Tom One", roles=["trainer"])
    create_user("t2@example.com", "Tom Two", roles=["its_staff"])
    learner = create_user("l@example.com", "Lea Learner", roles=["learner"])
    assert sorted(db.session.scalars(select(Profile.slug))) == ["tom-one", "tom-two"]
    learner.add_role("trainer")  # a role given later brings it too, once
    db.session.commit()
    assert rules.profile_of(learner).slug == "lea-learner"
    assert rules.ensure_profiles(utcnow()) == 0


def test_a_role_given_while_deactivated_brings_the_profile_on_reactivation(create_user):
    trainer = create_user("t1@example.com", "Tom One", roles=["learner"])
    trainer.is_active = False
    db.session.commit()
    trainer.add_role("trainer")
    db.session.commit()
    assert rules.profile_of(trainer) is None  # deactivated accounts have no profile (is_eligible)
    trainer.is_active = True
    db.session.commit()
    assert rules.profile_of(trainer).slug == "tom-one"
    trainer.is_active = False  # deactivated and reactivated again: still the one profile
    db.session.commit()
    trainer.is_active = True
    db.session.commit()
    assert db.session.scalar(select(func.count(Profile.id))) == 1


def test_a_profile_shows_the_organisation_its_owner_joins_later(create_user):
    from lms.orgs import people
    from lms.orgs.models import Organisation

    trainer = create_user("t1@example.com", "Tom One", roles=["trainer"])
    assert rules.profile_of(trainer).organisation_id is None
    its = Organisation(name="ITS Meccatronica", kind="its")
    db.session.add(its)
    people.add_member(its, trainer)
    db.session.commit()
    assert rules.profile_of(trainer).organisation_id == its.id


def test_a_rolled_back_role_makes_no_profile(create_user):
    learner = create_user("l@example.com", "Lea Learner", roles=["learner"])
    learner.add_role("trainer")
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(func.count(Profile.id))) == 0


def test_who_sees_and_who_edits(create_user):
    owner = create_user("o@example.com", "Olga Owner", roles=["trainer"])
    other = create_user("x@example.com", "Xavier Other", roles=["trainer"])
    admin = create_user("a@example.com", "Ada Admin", roles=["admin"])
    learner = create_user("l@example.com", "Lea Learner", roles=["learner"])
    profile = rules.get_or_create_profile(owner, utcnow())
    assert rules.can_edit(profile, owner) and rules.can_edit(profile, admin)
    assert not rules.can_edit(profile, other)
    assert not rules.can_edit(profile, learner)
    assert not rules.can_edit(profile, ANONYMOUS)
    profile.visibility = "signed_in"
    assert not rules.can_view(profile, ANONYMOUS) and rules.can_view(profile, learner)
    profile.visibility = "public"
    assert rules.can_view(profile, ANONYMOUS)
    owner.set_roles(["learner"])  # no longer a trainer: no longer edits (nor has) a profile
    assert not rules.can_edit(profile, owner)


@pytest.mark.parametrize("raw, stored", [
    ("  ROS   2 ", "ros 2"),
    ("C++", "c++"),
    ("Ｐｙｔｈｏｎ", "python"),  # full-width letters fold (NFKC)
    ("Node.js / TypeScript", "node.js / typescript"),
])
def test_free_tags_are_normalised(raw, stored):
    assert rules.normalise_tag(raw) == stored


@pytest.mark.parametrize("raw, message", [
    ("x" * 41, "too long"),
    ("<script>", "use letters"),
    ("   ", "empty"),
])
def test_bad_free_tags_are_refused(raw, message):
    with pytest.raises(rules.ProfileError, match=message):
        rules.normalise_tag(raw)


def test_tag_lists_split_on_commas_and_drop_duplicates():
    assert rules.parse_tags("PLC, plc ; ROS 2,, \n Python") == ["plc", "ros 2", "python"]


@pytest.mark.parametrize("url, ok", [
    ("https://www.example.com/me", True),
    ("http://example.com", True),
    ("javascript:alert(1)", False),
    ("data:text/html,<b>x</b>", False),
    ("ftp://example.com", False),
    ("www.example.com", False),
    ("https://exa mple.com", False),
    ("http://[::1", False),
])
def test_website_must_be_http_or_https(url, ok):
    if ok:
        assert rules.clean_url(url) == url
    else:
        with pytest.raises(rules.ProfileError):
            rules.clean_url(url)


def test_linkedin_must_be_a_linkedin_address():
    assert rules.clean_url("https://www.linkedin.com/in/giulia", linkedin=True)
    with pytest.raises(rules.ProfileError, match="LinkedIn"):
        rules.clean_url("https://linkedin.com.evil.example/in/x", linkedin=True)


def test_clean_changes_reports_every_problem_and_changes_nothing(create_user):
    user = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    profile = fill_profile(user, headline="Before", competences={"iiot": "expert"})
    bad = rules.ProfileChanges(headline="After", competences={"warp-drive": "expert"}, languages=["xx"],
                               website="javascript:alert(1)", phone="call me", visibility="everyone",
                               organisation_id=999, teach_tags="x" * 50,
                               bio="<script>alert(1)</script>")
    with pytest.raises(rules.ProfileError) as caught:
        rules.clean_changes(profile, bad)
    assert set(caught.value.errors) == {"competences", "languages", "website", "phone", "visibility",
                                        "organisation_id", "teach_tags", "bio"}
    assert "warp-drive" in caught.value.errors["competences"]
    db.session.expire_all()
    assert profile.headline == "Before"
    assert [(c.slug, c.level) for c in profile.competences] == [("iiot", "expert")]


def test_competences_are_replaced_as_a_set_and_free_tags_naming_the_vocabulary_join_it(create_user):
    user = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    profile = fill_profile(user, competences={"iiot": "can_teach", "cobots": "expert"},
                           teach_tags="ROS 2, Digital Twin", expert_tags="PLC programming")
    got = {(c.slug or c.tag, c.level) for c in profile.competences}
    assert got == {("iiot", "can_teach"), ("cobots", "expert"), ("digital-twin", "can_teach"),
                   ("ros 2", "can_teach"), ("plc programming", "expert")}
    iiot_id = next(c.id for c in profile.competences if c.slug == "iiot")
    fill_profile(user, competences={"iiot": "expert"}, teach_tags="ros 2")
    db.session.expire_all()
    got = {(c.slug or c.tag, c.level) for c in profile.competences}
    assert got == {("iiot", "expert"), ("ros 2", "can_teach")}
    assert next(c.id for c in profile.competences if c.slug == "iiot") == iiot_id  # updated, not re-created
    assert db.session.scalar(select(func.count(ProfileCompetence.id))) == 2


def test_a_tag_given_both_levels_counts_as_expert(create_user):
    user = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    profile = fill_profile(user, teach_tags="ROS 2", expert_tags="ros 2")
    assert [(c.tag, c.level) for c in profile.competences] == [("ros 2", "expert")]


def test_the_organisation_shown_must_be_one_of_the_persons(create_user, make_org):
    mine, theirs = make_org("Mine", "company"), make_org("Theirs", "company")
    from lms.orgs import people

    user = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    people.add_member(mine, user)
    profile = rules.get_or_create_profile(user, utcnow())
    assert rules.clean_changes(profile, rules.ProfileChanges(organisation_id=mine.id)).organisation_id == mine.id
    with pytest.raises(rules.ProfileError) as caught:
        rules.clean_changes(profile, rules.ProfileChanges(organisation_id=theirs.id))
    assert "organisation_id" in caught.value.errors


def test_code_in_markdown_code_spans_is_fine_in_a_bio():
    assert rules.clean_bio("Use `<script>` tags only in `index.html`.\n\n    <iframe src=x>").startswith("Use")
    with pytest.raises(rules.ProfileError, match="could run code"):
        rules.clean_bio("[click](javascript:alert(1))")
    with pytest.raises(rules.ProfileError, match="could run code"):
        rules.clean_bio('<img src=x onerror="alert(1)">')


def test_demo_profiles_fill_the_demo_trainers_once(app):
    from lms.demo import create_demo

    create_demo(learners=2)
    giulia = rules.profile_of(User.by_email("giulia.ferri@officina.example"))
    assert giulia.is_public and giulia.level_of("digital-twin") == "expert"
    assert giulia.level_of("iiot") == "can_teach" and giulia.level_of("predictive-maintenance") == "can_teach"
    paolo = rules.profile_of(User.by_email("paolo.marchetti@officina.example"))
    assert paolo.level_of("hr-analytics") == "expert" and paolo.level_of("gdpr-worker-monitoring")
    elena = rules.profile_of(User.by_email("elena.ricci@officina.example"))
    assert elena.level_of("digital-twin") == "can_teach" and elena.level_of("open-innovation")
    rows = db.session.scalar(select(func.count(ProfileCompetence.id)))
    profiles = db.session.scalar(select(func.count(Profile.id)))
    create_demo(learners=2)
    assert db.session.scalar(select(func.count(ProfileCompetence.id))) == rows
    assert db.session.scalar(select(func.count(Profile.id))) == profiles
