"""Profile pages over HTTP: access, visibility, contact options, editing, the directory page, preview, CSRF."""
import re

import pytest

from lms.courses.models import Course
from lms.extensions import db
from lms.profiles import rules
from tests.conftest import PASSWORD
from tests.profiles.conftest import fill_profile


@pytest.fixture
def cast(make_org, make_person, create_user):
    lab = make_org("Competence Lab Bologna", "competence_centre")
    giulia = make_person("giulia@example.com", "Giulia Ferri", ["trainer"], lab, profile=dict(
        headline="Automation engineer", competences={"digital-twin": "expert"}, phone="+39 051 123456",
        website="https://giulia.example.com"), can_sign_in=True)
    paolo = make_person("paolo@example.com", "Paolo Marchetti", ["trainer"], lab, profile=dict(
        headline="HR analyst", competences={"hr-analytics": "expert"}, visibility="signed_in"), can_sign_in=True)
    create_user("learner@example.com", "Lea Learner", roles=["learner"])
    create_user("admin@example.com", "Ada Admin", roles=["admin"])
    return dict(lab=lab, giulia=giulia, paolo=paolo)


def slug(user):
    return rules.profile_of(user).slug


def edit_form(**fields):
    form = {"headline": "Changed", "visibility": "public", "organisation_id": "0"}
    form.update(fields)
    return form


# Who may edit -----------------------------------------------------------------------------------------

def test_a_learner_cannot_edit_any_profile(client, login, cast):
    login("learner@example.com")
    assert client.get("/me/profile").status_code == 403
    assert client.get(f"/people/{slug(cast['giulia'])}/edit").status_code == 403
    assert client.post(f"/people/{slug(cast['giulia'])}/edit", data=edit_form()).status_code == 403
    assert client.post("/me/profile/preview", data={"text": "hi"}).status_code == 403
    db.session.expire_all()
    assert rules.profile_of(cast["giulia"]).headline == "Automation engineer"


def test_a_trainer_cannot_edit_another_trainers_profile(client, login, cast):
    login("paolo@example.com")
    assert client.get(f"/people/{slug(cast['giulia'])}/edit").status_code == 403
    assert client.post(f"/people/{slug(cast['giulia'])}/edit", data=edit_form()).status_code == 403
    db.session.expire_all()
    assert rules.profile_of(cast["giulia"]).headline == "Automation engineer"


def test_my_profile_never_makes_a_missing_profile(client, login, cast):
    """A profile comes with the role (and the migration gave older accounts theirs): a GET only reads, so one
    that is somehow missing is a clear 404, and stays missing."""
    db.session.delete(rules.profile_of(cast["paolo"]))
    db.session.commit()
    login("paolo@example.com")
    response = client.get("/me/profile")
    assert response.status_code == 404
    assert b"Your profile is missing" in response.data and b"ask an administrator" in response.data
    assert client.post("/me/profile", data=edit_form()).status_code == 404
    db.session.expire_all()
    assert rules.profile_of(cast["paolo"]) is None


def test_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(f"/people/{slug(cast['giulia'])}/edit")
    assert response.status_code == 302 and "/login" in response.location
    assert "/login" in client.get("/me/profile").location


def test_an_admin_can_edit_any_profile(client, login, cast):
    login("admin@example.com")
    page = client.get(f"/people/{slug(cast['giulia'])}/edit")
    assert page.status_code == 200 and b"Edit the profile of Giulia Ferri" in page.data
    response = client.post(f"/people/{slug(cast['giulia'])}/edit",
                           data=edit_form(headline="Edited by the admin", competence=["iiot"], **{"level-iiot": "expert"}))
    assert response.status_code == 302
    db.session.expire_all()
    profile = rules.profile_of(cast["giulia"])
    assert profile.headline == "Edited by the admin" and profile.level_of("iiot") == "expert"
    assert profile.level_of("digital-twin") is None  # unticked: removed


def test_a_trainer_edits_their_own_profile_and_sees_it(client, login, cast):
    login("giulia@example.com")
    form = edit_form(headline="Digital twins for SMEs", bio="I build **digital twins**.", languages=["it", "de"],
                     competence=["digital-twin", "cobots"], teach_tags="ROS 2", expert_tags="PLC programming",
                     organisation_id=str(cast["lab"].id), show_email="y", linkedin_url="https://www.linkedin.com/in/gf",
                     **{"level-digital-twin": "expert", "level-cobots": "can_teach", "level-iiot": "expert"})
    response = client.post("/me/profile", data=form)
    assert response.status_code == 302 and response.location.endswith(f"/people/{slug(cast['giulia'])}")
    page = client.get(response.location, follow_redirects=True).data.decode()
    assert "Your profile is saved." in page
    assert "Digital twins for SMEs" in page and "<strong>digital twins</strong>" in page
    assert "Cobots and human-robot collaboration" in page and "ros 2" in page and "plc programming" in page
    assert "Industrial IoT" not in page  # a level without its tick adds nothing
    assert "Deutsch" in page and "Competence Lab Bologna" in page
    assert "mailto:giulia@example.com" in page and "https://www.linkedin.com/in/gf" in page
    assert "+39 051 123456" not in page  # not sent again, so cleared


def test_a_failed_form_keeps_what_was_typed_and_stores_nothing(client, login, cast):
    login("giulia@example.com")
    response = client.post("/me/profile", data=edit_form(
        headline="Typed headline", website="javascript:alert(1)", competence=["warp-drive", "iiot"],
        **{"level-iiot": "expert"}))
    assert response.status_code == 422
    page = response.data.decode()
    assert "Nothing was saved" in page
    assert "starting with https://" in page and "Unknown competence: warp-drive" in page
    assert 'value="Typed headline"' in page and 'value="javascript:alert(1)"' in page
    assert re.search(r'id="comp-iiot"\s+checked', page)  # the ticks survive too
    db.session.expire_all()
    assert rules.profile_of(cast["giulia"]).headline == "Automation engineer"


def test_the_organisation_must_be_the_persons(client, login, cast, make_org):
    other = make_org("Someone Else Srl", "company")
    login("giulia@example.com")
    response = client.post("/me/profile", data=edit_form(organisation_id=str(other.id)))
    assert response.status_code == 422
    db.session.expire_all()
    assert rules.profile_of(cast["giulia"]).organisation_id == cast["lab"].id


# Visibility and contact ---------------------------------------------------------------------------------

def test_a_members_only_profile_asks_visitors_to_sign_in(client, login, cast):
    response = client.get(f"/people/{slug(cast['paolo'])}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/people/{slug(cast['paolo'])}"
    page = client.get(response.headers["Location"])
    assert b"shares their profile with signed-in users only" in page.data
    assert b"HR analyst" not in page.data and b"Paolo" not in page.data
    directory = client.get("/people/").data
    assert b"Paolo Marchetti" not in directory and b"Giulia Ferri" in directory
    login("learner@example.com")
    assert b"HR analyst" in client.get(f"/people/{slug(cast['paolo'])}").data
    assert b"Paolo Marchetti" in client.get("/people/").data


def test_only_the_chosen_contact_details_are_shown(client, cast):
    page = client.get(f"/people/{slug(cast['giulia'])}").data.decode()
    assert "+39 051 123456" in page and "https://giulia.example.com" in page
    assert "giulia@example.com" not in page  # e-mail not chosen
    assert "linkedin" not in page.lower()


def test_a_profile_of_someone_without_a_profile_role_is_not_found(client, cast, create_user):
    from lms.auth.models import User
    from lms.dbtypes import utcnow

    learner = rules.get_or_create_profile(User.by_email("learner@example.com"), utcnow())
    learner.visibility = "public"
    db.session.commit()
    assert client.get(f"/people/{learner.slug}").status_code == 404
    assert client.get("/people/nobody-here").status_code == 404


def test_by_email_redirects_to_the_profile(client, cast, create_user):
    response = client.get("/people/by-email/GIULIA@example.com")
    assert response.status_code == 302 and response.location.endswith(f"/people/{slug(cast['giulia'])}")
    create_user("new.trainer@example.com", "Nina Nuova", roles=["trainer"])  # the role brings the profile
    assert client.get("/people/by-email/new.trainer@example.com").location.endswith("/people/nina-nuova")
    assert client.get("/people/by-email/learner@example.com").status_code == 404
    assert client.get("/people/by-email/nobody@example.com").status_code == 404
    assert client.get("/people/by-email/not-an-address").status_code == 404


def test_courses_taught_are_listed(client, cast):
    db.session.add_all([
        Course(slug="digitalization-101", title="Digitalization 101", trainer_emails=["giulia@example.com"]),
        Course(slug="draft", title="Unpublished draft", trainer_emails=["giulia@example.com"], is_published=False),
        Course(slug="digital-hr", title="Digital HR", trainer_emails=["paolo@example.com"]),
    ])
    db.session.commit()
    page = client.get(f"/people/{slug(cast['giulia'])}").data.decode()
    assert "Digitalization 101" in page
    assert "Unpublished draft" not in page and "Digital HR" not in page


# The directory page -----------------------------------------------------------------------------------

def test_the_directory_lists_a_chip_per_competence_in_use(client, cast):
    page = client.get("/people/").data.decode()
    assert 'href="/people/?competence=digital-twin"' in page
    assert "competence=hr-analytics" not in page  # only on a members-only profile
    assert 'name="language" value="de"' not in page  # the layout's language switch keeps its own languages
    result = client.get("/people/?competence=digital-twin").data.decode()
    assert "1 person for “Digital twin”" in result and "Giulia Ferri" in result


def test_an_unknown_competence_in_the_filter_is_a_clear_error(client, cast):
    response = client.get("/people/?competence=warp-drive")
    assert response.status_code == 400
    assert "There is no competence “warp-drive”" in response.data.decode()
    assert client.get("/people/?organisation=abc").status_code == 400
    assert client.get("/people/?language=xx").status_code == 400


def test_trainers_who_never_opened_their_profile_appear_to_signed_in_people(client, login, create_user, cast):
    create_user("silent@example.com", "Silvio Silente", roles=["trainer"])
    assert b"Silvio Silente" not in client.get("/people/").data  # members-only by default
    login("learner@example.com")
    assert b"Silvio Silente" in client.get("/people/").data


def test_an_admin_gives_a_guest_expert_a_profile(client, login, cast):
    login("admin@example.com")
    response = client.post("/people/add", data={"email": "learner@example.com"})
    assert response.status_code == 302 and response.location.endswith("/people/lea-learner/edit")
    from lms.auth.models import User

    profile = rules.profile_of(User.by_email("learner@example.com"))
    assert profile.is_listed_by_admin
    assert client.post("/people/add", data={"email": "ghost@example.com"}).status_code == 302
    assert rules.profile_of(User.by_email("admin@example.com")) is None


# Preview and CSRF -------------------------------------------------------------------------------------

def test_the_preview_renders_through_the_sanitiser_and_warns(client, login, cast):
    login("giulia@example.com")
    response = client.post("/me/profile/preview", data={"text": "**bold** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.data
    assert b"<script" not in response.data
    assert b"could run code" in response.data


def test_posts_without_a_csrf_token_are_refused(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from lms.auth import accounts

        user = accounts.create_user("t@example.com", "Tina Trainer", roles=["trainer"], password=PASSWORD)
        fill_profile(user, headline="Before")
        client = app.test_client()
        login_page = client.get("/login").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          login_page)
        client.post("/login", data={"email": "t@example.com", "password": PASSWORD,
                                    "csrf_token": token.group(1) or token.group(2)})
        assert client.post("/me/profile/preview", data={"text": "hi"}).status_code == 400
        assert client.post("/me/profile", data=edit_form()).status_code == 400
        db.session.expire_all()
        assert rules.profile_of(user).headline == "Before"


def test_competence_labels_follow_the_language(client, cast):
    page = client.get("/people/?competence=digital-twin", headers={"Accept-Language": "it"}).data.decode()
    assert "Gemello digitale (digital twin)" in page
    assert 'lang="it"' in page
