"""The directory rule: each filter, paging, visibility, unknown filters as errors."""
import pytest

from lms.extensions import db
from lms.profiles import directory
from tests.profiles.conftest import fill_profile


@pytest.fixture
def people(make_org, make_person):
    lab = make_org("Competence Lab Bologna", "competence_centre")
    its = make_org("ITS Meccatronica", "its")
    giulia = make_person("giulia@example.com", "Giulia Ferri", ["trainer"], lab, profile=dict(
        headline="Automation engineer", competences={"digital-twin": "expert", "iiot": "can_teach"},
        languages=["it", "en"], teach_tags="PLC programming"))
    elena = make_person("elena@example.com", "Elena Ricci", ["trainer"], its, profile=dict(
        headline="Innovation teacher", competences={"digital-twin": "can_teach", "open-innovation": "expert"},
        languages=["it", "fr"]))
    paolo = make_person("paolo@example.com", "Paolo Marchetti", ["trainer"], lab, profile=dict(
        competences={"hr-analytics": "expert"}, languages=["it"], visibility="signed_in"))
    irene = make_person("irene@example.com", "Irene Santoro", ["its_staff"], None, profile=dict(
        competences={"digital-skills-assessment": "expert"}, languages=["de"]))
    make_person("luca@example.com", "Luca Bassi", ["learner"], lab)
    return dict(lab=lab, its=its, giulia=giulia, elena=elena, paolo=paolo, irene=irene)


def names(page):
    return [p.user.name for p in page.items]


def test_everyone_listed_by_name_members_only_profiles_for_signed_in_viewers(people):
    assert names(directory.search()) == ["Elena Ricci", "Giulia Ferri", "Irene Santoro"]
    assert names(directory.search(signed_in=True)) == ["Elena Ricci", "Giulia Ferri", "Irene Santoro",
                                                       "Paolo Marchetti"]


def test_by_name_headline_or_free_tag(people):
    assert names(directory.search(name="ferri")) == ["Giulia Ferri"]
    assert names(directory.search(name="innovation")) == ["Elena Ricci"]
    assert names(directory.search(name="plc")) == ["Giulia Ferri"]
    assert names(directory.search(name="100%_")) == []  # LIKE wildcards are literal


def test_by_competence_experts_first(people):
    page = directory.search(competence="digital-twin")
    assert names(page) == ["Giulia Ferri", "Elena Ricci"]  # Giulia is the expert
    assert page.total == 2
    assert names(directory.search(competence="hr-analytics")) == []  # members-only profile, anonymous viewer
    assert names(directory.search(competence="hr-analytics", signed_in=True)) == ["Paolo Marchetti"]


def test_by_organisation_language_and_its(people):
    assert names(directory.search(organisation_id=people["lab"].id)) == ["Giulia Ferri"]
    assert names(directory.search(language="fr")) == ["Elena Ricci"]
    assert names(directory.search(language="it", signed_in=True)) == ["Elena Ricci", "Giulia Ferri",
                                                                     "Paolo Marchetti"]
    # An ITS member (Elena) and an ITS-staff holder without membership (Irene).
    assert names(directory.search(its=True)) == ["Elena Ricci", "Irene Santoro"]
    assert directory.its_user_ids([people["giulia"].id, people["elena"].id]) == {people["elena"].id}
    assert names(directory.search(competence="digital-twin", its=True, language="it")) == ["Elena Ricci"]


@pytest.mark.parametrize("kwargs, field", [
    (dict(competence="warp-drive"), "competence"),
    (dict(organisation_id=4242), "organisation"),
    (dict(language="tlh"), "language"),
])
def test_an_unknown_filter_is_an_error_not_an_empty_list(people, kwargs, field):
    with pytest.raises(directory.DirectoryError) as caught:
        directory.search(**kwargs)
    assert caught.value.field == field
    assert "Choose one from the list" in str(caught.value)


def test_paging(make_person):
    for i in range(7):
        make_person(f"t{i}@example.com", f"Trainer {i:02d}", profile=dict(competences={"cobots": "can_teach"}))
    first = directory.search(competence="cobots", per_page=3)
    assert (first.total, first.pages, first.page, first.has_prev, first.has_next) == (7, 3, 1, False, True)
    assert names(first) == ["Trainer 00", "Trainer 01", "Trainer 02"]
    last = directory.search(competence="cobots", per_page=3, page=3)
    assert names(last) == ["Trainer 06"] and last.prev_num == 2 and last.next_num is None
    assert directory.search(competence="cobots", per_page=3, page=99).page == 3  # clamped
    assert directory.search(competence="cobots", per_page=3, page=-1).page == 1


def test_deactivated_people_and_lost_roles_leave_the_directory(people):
    people["giulia"].is_active = False
    people["elena"].set_roles(["learner"])
    db.session.commit()
    assert names(directory.search()) == ["Irene Santoro"]


def test_a_person_an_admin_listed_appears_without_the_role(make_person):
    guest = make_person("guest@example.com", "Guido Guest", ["learner"])
    fill_profile(guest, competences={"servitization": "expert"})
    assert names(directory.search(competence="servitization")) == []
    from lms.dbtypes import utcnow
    from lms.profiles import rules

    rules.get_or_create_profile(guest, utcnow(), listed_by_admin=True)
    db.session.commit()
    assert names(directory.search(competence="servitization")) == ["Guido Guest"]


def test_chip_counts_and_organisation_choices_follow_visibility(people):
    assert directory.competence_counts(False) == {"digital-twin": 2, "iiot": 1, "open-innovation": 1,
                                                  "digital-skills-assessment": 1}
    assert directory.competence_counts(True)["hr-analytics"] == 1
    assert [o.name for o in directory.organisations_listed(False)] == ["Competence Lab Bologna", "ITS Meccatronica"]
