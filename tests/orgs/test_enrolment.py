"""Bulk enrolment from CSV: every bad row reported with its line, nothing imported while any is bad."""
import io
from datetime import timedelta

import pytest

from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.orgs import enrolment
from lms.orgs.models import Cohort, CohortMember, Membership, Organisation
from tests.conftest import outbox


@pytest.fixture
def its(app):
    org = Organisation(name="ITS Meccatronica", kind="its", city="Bologna")
    db.session.add(org)
    db.session.commit()
    return org


@pytest.fixture
def company(app):
    org = Organisation(name="Imballaggi Emilia", kind="company")
    db.session.add(org)
    db.session.commit()
    return org


GOOD = "email,name,role,cohort\nanna@example.com,Anna Verdi,learner,Meccatronica 2026\nbruno@example.com,Bruno Neri,,\n"


def test_a_good_file_is_planned(its):
    plan = enrolment.plan_enrolment(GOOD, its, 100)
    assert plan.ok and [r.email for r in plan.rows] == ["anna@example.com", "bruno@example.com"]
    assert plan.rows[1].role == "learner"
    assert plan.new_cohorts == ["Meccatronica 2026"]


def test_every_bad_row_is_reported_with_its_line(its, create_user):
    create_user("existing@example.com")
    text = (
        "email,name,role,cohort\n"
        "not-an-email,Anna,learner,\n"          # line 2
        "ok@example.com,,learner,\n"            # line 3: no name
        "ok2@example.com,Ok,wizard,\n"          # line 4: unknown role
        "ok3@example.com,Ok,admin,\n"           # line 5: admin cannot be bulk-granted
        "dup@example.com,Dup,learner,\n"        # line 6
        "DUP@example.com,Dup again,learner,\n"  # line 7: duplicate of line 6
        "existing@example.com,Old Friend,trainer,\n"  # fine: an existing account is added
    )
    plan = enrolment.plan_enrolment(text, its, 100)
    assert not plan.ok
    lines = [e.split(":")[0] for e in plan.errors]
    assert lines == ["line 2", "line 3", "line 4", "line 5", "line 7"]
    assert "already on line 6" in plan.errors[-1]


def test_cohorts_only_in_its_foundations(company):
    plan = enrolment.plan_enrolment("email,name,role,cohort\na@example.com,A,learner,Class A\n", company, 100)
    assert plan.errors == ["line 2: cohorts exist only in ITS foundations; leave the cohort empty"]


def test_semicolon_separated_files_from_italian_spreadsheets(its):
    plan = enrolment.plan_enrolment("email;name;role;cohort\nanna@example.com;Anna Verdi;learner;\n", its, 100)
    assert plan.ok and plan.rows[0].name == "Anna Verdi"


def test_missing_header_columns(its):
    plan = enrolment.plan_enrolment("mail,fullname\na@example.com,A\n", its, 100)
    assert plan.errors and plan.errors[0].startswith("line 1:") and "email, name" in plan.errors[0]


def test_non_utf8_and_oversized_files_are_refused():
    with pytest.raises(ValueError, match="not UTF-8"):
        enrolment.decode_csv("email,name\nnicolò@example.com,Nicolò\n".encode("latin-1"), 1000)
    with pytest.raises(ValueError, match="too large"):
        enrolment.decode_csv(b"x" * 2001, 2000)
    assert enrolment.decode_csv("\ufeffemail,name\n".encode(), 1000) == "email,name\n"  # Excel's BOM


def test_too_many_rows(its):
    text = "email,name\n" + "".join(f"p{i}@example.com,P {i}\n" for i in range(5))
    plan = enrolment.plan_enrolment(text, its, 3)
    assert not plan.ok and "too many rows" in plan.errors[-1]


def test_apply_creates_accounts_memberships_and_cohorts(its, create_user):
    friend = create_user("existing@example.com")
    text = GOOD + "existing@example.com,Old Friend,trainer,Meccatronica 2026\n"
    plan = enrolment.plan_enrolment(text, its, 100)
    invited = enrolment.apply_plan(plan, its, utcnow(), timedelta(days=14))
    db.session.commit()
    tokens = {user.email: token for user, token in invited}
    assert tokens["existing@example.com"] is None and tokens["anna@example.com"]
    assert friend.roles == {"learner", "trainer"}
    assert db.session.query(Membership).filter_by(organisation_id=its.id).count() == 3
    cohort = db.session.query(Cohort).one()
    assert sorted(m.user.email for m in cohort.members) == ["anna@example.com", "existing@example.com"]


def test_apply_refuses_a_plan_with_errors(its):
    plan = enrolment.plan_enrolment("email,name\nbad,B\n", its, 100)
    with pytest.raises(ValueError):
        enrolment.apply_plan(plan, its, utcnow(), timedelta(days=1))


# Over HTTP -------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin",))
    login("admin@example.com")
    return client


def _upload(client, org, data: bytes):
    return client.post(f"/admin/organisations/{org.id}/enrol/preview",
                       data={"file": (io.BytesIO(data), "people.csv")}, content_type="multipart/form-data")


def _preview(client, org, data: bytes):
    """Upload, then follow the redirect to the preview page (Post/Redirect/Get)."""
    upload = _upload(client, org, data)
    assert upload.status_code == 302 and "/enrol/preview/" in upload.location
    return upload.location, client.get(upload.location)


def _upload_id(location):
    return location.rsplit("/", 1)[1]


def test_preview_then_commit(app, admin_client, its):
    location, preview = _preview(admin_client, its, GOOD.encode())
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2 people will be enrolled" in page and "Meccatronica 2026" in page
    assert User.query.count() == 1  # nothing written by the preview
    assert admin_client.get(location).status_code == 200  # a reload shows the same preview
    done = admin_client.post(f"/admin/organisations/{its.id}/enrol/commit",
                             data={"upload_id": _upload_id(location)}, follow_redirects=True)
    assert "Imported 2 people: 2 invited by e-mail" in done.get_data(as_text=True)
    assert {m["To"] for m in outbox(app)} == {"anna@example.com", "bruno@example.com"}
    assert db.session.query(CohortMember).count() == 1
    # The upload is gone once imported: a second confirmation imports nothing twice.
    again = admin_client.post(f"/admin/organisations/{its.id}/enrol/commit", data={"upload_id": _upload_id(location)})
    assert again.status_code == 302 and len(outbox(app)) == 2


def test_a_bad_file_imports_nothing(app, admin_client, its):
    bad = GOOD + "broken-address,X,learner,\n"
    location, preview = _preview(admin_client, its, bad.encode())
    assert preview.status_code == 422
    page = preview.get_data(as_text=True)
    assert "line 4: Not a valid e-mail address" in page and "Nothing has been imported" in page
    # A forged commit of the bad upload is re-checked and refused too.
    again = admin_client.post(f"/admin/organisations/{its.id}/enrol/commit", data={"upload_id": _upload_id(location)})
    assert again.status_code == 302 and again.location == location
    assert User.query.count() == 1 and outbox(app) == []


def test_the_upload_form_address_answers_a_get_with_the_organisation(admin_client, its):
    response = admin_client.get(f"/admin/organisations/{its.id}/enrol/preview")
    assert response.status_code == 302 and response.location == f"/admin/organisations/{its.id}"


def test_an_upload_is_seen_only_by_its_uploader_in_its_organisation(app, admin_client, its, company, create_user):
    location, _page = _preview(admin_client, its, GOOD.encode())
    upload_id = _upload_id(location)
    assert admin_client.get(f"/admin/organisations/{company.id}/enrol/preview/{upload_id}").status_code == 302
    other = app.test_client()
    create_user("admin2@example.com", "Other Admin", roles=("admin",))
    other.post("/login", data={"email": "admin2@example.com", "password": "correct-horse-battery"})
    assert other.get(location).status_code == 302
    for forged in ("../../secret_key", "x" * 22, "%00" * 11):
        assert admin_client.get(f"/admin/organisations/{its.id}/enrol/preview/{forged}").status_code in (302, 404)


def test_pending_uploads_expire(tmp_path):
    from lms.pending import PendingUpload

    store = PendingUpload(str(tmp_path / "pending"), timedelta(hours=2))
    now = utcnow()
    upload_id = store.save("email,name\n", "org:1", 7, now)
    assert store.load(upload_id, "org:1", 7, now + timedelta(hours=1)) == "email,name\n"
    assert store.load(upload_id, "org:1", 8, now) is None and store.load(upload_id, "org:2", 7, now) is None
    assert store.load(upload_id, "quiz:1", 7, now) is None  # a people list is not a quiz's GIFT file
    assert store.load(upload_id, "org:1", 7, now + timedelta(hours=2)) is None
    assert store.sweep(now + timedelta(hours=3)) == 1 and list((tmp_path / "pending").iterdir()) == []


def test_non_utf8_upload_gets_a_clear_message(admin_client, its):
    response = _upload(admin_client, its, "email,name\nnicolò@example.com,Nicolò\n".encode("cp1252"))
    assert response.status_code == 302
    assert "not UTF-8" in admin_client.get(response.location).get_data(as_text=True)


def test_organisation_pages(admin_client):
    created = admin_client.post("/admin/organisations/new",
                                data={"name": "Competence Lab", "kind": "competence_centre", "city": "Torino"})
    assert created.status_code == 302
    duplicate = admin_client.post("/admin/organisations/new", data={"name": "competence lab", "kind": "company"})
    assert "already has this name" in duplicate.get_data(as_text=True)
    bad_url = admin_client.post("/admin/organisations/new", data={"name": "X", "kind": "company", "website": "nope"})
    assert "Invalid URL" in bad_url.get_data(as_text=True)
    assert Organisation.query.count() == 1
    assert "Competence Lab" in admin_client.get("/admin/organisations/?kind=competence_centre").get_data(as_text=True)


def test_cohort_creation_only_for_its(admin_client, its, company):
    admin_client.post(f"/admin/organisations/{its.id}/cohorts", data={"name": "Class of 2027"})
    admin_client.post(f"/admin/organisations/{company.id}/cohorts", data={"name": "Nope"})
    assert [c.name for c in Cohort.query.all()] == ["Class of 2027"]
