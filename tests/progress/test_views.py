"""The progress pages as each role sees them, with the world of factories.py."""
import io

from openpyxl import load_workbook

from lms.extensions import db


def test_learner_home_is_their_dashboard_with_next_step_and_certificate(world, sign_in):
    client = sign_in("bruno")
    page = client.get("/").get_data(as_text=True)
    assert "Continue where you left off" in page and "Industry basics" in page
    assert "Module 2" in page  # bruno's next step
    client = sign_in("ada")
    page = client.get("/progress/me").get_data(as_text=True)
    assert "Certificates" in page and ".pdf" in page
    assert "Completed on" in page


def test_my_learning_lists_the_next_seats_with_their_lab_and_the_quiz_attempts(world, sign_in):
    from datetime import timedelta

    from lms.dbtypes import utcnow
    from lms.labs.models import CONFIRMED, WAITLISTED, Booking
    from tests.progress.factories import book, session_of

    bruno, soon = world.people["bruno"], utcnow() + timedelta(days=3)
    seat = session_of(world.lab, soon)
    seat.title = "Cobots up close"
    book(bruno, seat, CONFIRMED)
    waiting = session_of(world.lab, soon + timedelta(days=1))
    waiting.title, waiting.lab = "Cobots again", None  # a session without a lab is listed without one
    db.session.add(Booking(session_id=waiting.id, user_id=bruno.id, status=WAITLISTED, position=1))
    cancelled = session_of(world.lab, soon + timedelta(days=2))
    cancelled.title, cancelled.cancelled_at = "Cancelled cobots", utcnow()
    book(bruno, cancelled, CONFIRMED)
    db.session.commit()
    page = sign_in("bruno").get("/progress/me").get_data(as_text=True)
    assert f'href="/labs/sessions/{seat.id}">Cobots up close</a>' in page
    assert f'href="/labs/sessions/{waiting.id}">Cobots again</a>' in page and "Cancelled cobots" not in page
    listed = page.split("Upcoming lab sessions")[1]
    assert listed.count("Cobot cell") == 1 and "confirmed" in listed and "waitlisted" in listed
    assert "2 quiz attempts" in page and "#2: 0%" in page and "not passed" in page


def test_its_staff_report_filters_by_cohort_and_exports(world, sign_in):
    client = sign_in("its_x")
    response = client.get("/progress/cohorts")
    assert response.status_code == 302 and f"/progress/organisations/{world.orgs['x'].id}" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Dario" in page and "Elsa" in page and "Ada" not in page
    assert "Needs attention" in page
    page = client.get(f"/progress/organisations/{world.orgs['x'].id}?inactive=20").get_data(as_text=True)
    assert "Dario" in page and "Elsa" not in page.split('id="people"')[1]
    xlsx = client.get(f"/progress/organisations/{world.orgs['x'].id}/export.xlsx?cohort={world.cohorts['x1'].id}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(set(names)) == ["Dario", "Elsa"]


def test_exports_neutralise_formulas(world, sign_in):
    world.people["elsa"].name = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    client = sign_in("its_x")
    csv_text = client.get(f"/progress/organisations/{world.orgs['x'].id}/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    xlsx = client.get(f"/progress/organisations/{world.orgs['x'].id}/export.xlsx")
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells and not any(str(c).startswith("=") for c in cells if c)


def test_editions_group_together(world, sign_in):
    client = sign_in("its_x")
    page = client.get(f"/progress/organisations/{world.orgs['x'].id}?group=editions").get_data(as_text=True)
    assert "EN + IT" in page or "IT + EN" in page


def test_bad_filters_are_a_400_and_another_foundations_cohort_a_404(world, sign_in):
    client = sign_in("its_x")
    base = f"/progress/organisations/{world.orgs['x'].id}"
    assert client.get(base + "?inactive=abc").status_code == 400
    assert client.get(base + "?course=99999999999999999999").status_code == 400
    assert client.get(base + "?role=pope").status_code == 400
    assert client.get(base + f"?cohort={world.cohorts['y1'].id}").status_code == 404


def test_trainer_sees_gradebook_of_their_course_only(world, sign_in):
    client = sign_in("trainer")
    page = client.get("/").get_data(as_text=True)
    assert "Courses I teach" in page and "Industry basics" in page
    page = client.get("/progress/courses/industry-basics").get_data(as_text=True)
    assert 'id="gradebook"' in page and "Ada" in page and "Bruno" in page
    csv_text = client.get("/progress/courses/industry-basics/gradebook.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("name,email,percent,completed_at,m1 done")
    assert client.get("/progress/courses/basi-industria").status_code == 404
    bruno = world.people["bruno"].id
    assert "Module 1" in client.get(f"/progress/courses/industry-basics/learners/{bruno}").get_data(as_text=True)
    stranger = world.people["stranger"].id
    assert client.get(f"/progress/courses/industry-basics/learners/{stranger}").status_code == 404


def test_certificate_pdf_and_public_verification(world, sign_in, app):
    from lms.progress.models import Certificate

    certificate = db.session.query(Certificate).one()
    client = sign_in("ada")
    pdf = client.get(f"/progress/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    client = sign_in("bruno")
    assert client.get(f"/progress/certificates/{certificate.id}.pdf").status_code == 404
    client = app.test_client()
    page = client.get(f"/progress/verify?code={certificate.code.lower()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ada" in text and "Industry basics" in text
    assert "ada@example.com" not in text  # only name, course and date
    assert client.get("/progress/verify?code=AAAA-BBBB-CCCC").status_code == 404
    assert client.get("/progress/verify?code=" + "%00" * 500).status_code == 400  # NUL: refused app-wide
