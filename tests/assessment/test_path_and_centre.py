"""Starting the recommended path (enrolments and lab seats), and the centres' distribution and exports."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from lms.assessment import path, sharing
from lms.assessment.export import neutralise, to_csv
from lms.assessment.questionnaire import questionnaire
from lms.assessment.rounds import AssessmentError
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.labs.models import Booking, Lab, LabSession
from lms.orgs.models import Organisation
from tests.assessment.conftest import NOW, answers, submit


def _session(lab_slug, starts, capacity=2):
    lab = db.session.scalar(db.select(Lab).where(Lab.slug == lab_slug))
    session = LabSession(lab_id=lab.id, title=f"{lab.name} demo", starts_at=starts, ends_at=starts + timedelta(hours=3),
                         capacity=capacity, created_at=NOW)
    db.session.add(session)
    db.session.flush()
    return session


def test_start_path_enrols_the_chosen_people_and_books_lab_seats(world, synced):
    assessment = world.start()
    submit(assessment.responses[0], answers(1))
    session = _session("iiot-condition-monitoring-bench", NOW + timedelta(days=20), capacity=1)
    outcome = path.start_path(assessment, questionnaire(), by=world.manager, people=[world.manager, world.production],
                              dimension_slugs=["data"], book_labs=True, now=NOW)
    courses = {c.slug for _u, c in outcome.enrolled}
    assert courses == {"digitalization-101", "digital-transformation-strategy", "digital-hr"}
    assert len(outcome.enrolled) == 6
    statuses = sorted(b.status for b in db.session.scalars(db.select(Booking).where(Booking.session_id == session.id)))
    assert statuses == ["confirmed", "waitlisted"]  # the labs rule decided: one seat, one on the waitlist
    assert outcome.labs_without_session == ["hr-analytics-dashboard-demo"]
    again = path.start_path(assessment, questionnaire(), by=world.manager, people=[world.production],
                            dimension_slugs=["data"], book_labs=True, now=NOW)
    assert again.enrolled == [] and again.already_enrolled == 3 and again.already_booked == 1
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 2


def test_only_a_manager_starts_the_path_and_only_for_members(world, synced):
    assessment = world.start()
    for by, people, status in ((world.production, [world.production], 403), (world.manager, [world.colleague_b], 403),
                               (world.manager, [], 400)):
        with pytest.raises(AssessmentError) as refused:
            path.start_path(assessment, questionnaire(), by=by, people=people, dimension_slugs=["data"],
                            book_labs=False, now=NOW)
        assert refused.value.status == status
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 0


def test_the_result_page_links_priorities_and_starts_the_path(world, synced, client, login):
    assessment = world.start()
    submit(assessment.responses[0], answers(4, data_machine_connectivity=0, data_collection=0, data_use=0,
                                            data_integration=0, data_security=0))
    db.session.commit()
    login("manager@alfa.example")
    page = client.get(f"/assessment/{assessment.id}/result").text
    assert "/courses/digitalization-101/connectivity-and-iiot" in page  # a module of the "data" priority
    assert "/courses/digitalization-101/connectivity-and-iiot/quiz" in page
    response = client.post(f"/assessment/{assessment.id}/path",
                           data={"people": [str(world.production.id)], "dimensions": ["data"]}, follow_redirects=True)
    assert "3 enrolments made." in response.text
    course = db.session.scalar(db.select(Course).where(Course.slug == "digitalization-101"))
    assert db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == world.production.id,
                                                        Enrolment.course_id == course.id)).enrolled_by_id == world.manager.id


def test_neutralise_formula_cells():
    assert [neutralise(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@x", "\tx", "ok", -2.5, None)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@x", "'\tx", "ok", -2.5, None]
    assert to_csv(["=a"], [["@b", 1.5]]).decode("utf-8-sig").splitlines() == ["'=a", "'@b,1.5"]


def test_a_centre_sees_its_companies_named_only_when_they_allow_it(world, client, login):
    evil = Organisation(name="=HYPERLINK(\"http://x\")", kind="company")
    db.session.add(evil)
    evil_manager = world.person("m@evil.example", "Eve", ("company_manager",), evil, "manager")
    for company, by, level, named in ((world.a, world.manager, 2, False), (world.b, world.manager_b, 4, True),
                                      (evil, evil_manager, 1, True)):
        submit(world.start(company=company, by=by).responses[0], answers(level))
        sharing.share(company, world.its, by=by, show_name=named, now=NOW)
    db.session.commit()
    rows = sharing.centre_rows(world.its, questionnaire(), lambda letters: f"Company {letters}")
    assert [r.label for r in rows] == ["=HYPERLINK(\"http://x\")", "Beta Plast", "Company A"]
    login("staff@its.example")
    page = client.get(f"/assessment/centres/{world.its.id}").text
    assert "Alfa Meccanica" not in page and "Beta Plast" in page and "Company A" in page
    csv_text = client.get(f"/assessment/centres/{world.its.id}/export.csv").data.decode("utf-8-sig")
    assert "Alfa Meccanica" not in csv_text and "'=HYPERLINK" in csv_text and "\n=" not in csv_text
    book = load_workbook(io.BytesIO(client.get(f"/assessment/centres/{world.its.id}/export.xlsx").data))
    values = [row[0].value for row in book.active.iter_rows(min_row=2)]
    assert values == ["'=HYPERLINK(\"http://x\")", "Beta Plast", "Company A"]
    assert book.active.cell(row=3, column=5).value == 4.0  # numbers stay numbers
    client.post("/logout")
    login("staff@cc.example")
    assert client.get(f"/assessment/centres/{world.its.id}").status_code == 404
    assert client.get(f"/assessment/centres/{world.its.id}/export.csv").status_code == 404
    page = client.get(f"/assessment/centres/{world.cc.id}").text
    assert "No company shares its results" in page


def test_an_italian_reader_is_sent_to_the_italian_edition(world, synced, client, login):
    assessment = world.start()
    submit(assessment.responses[0], answers(4, data_machine_connectivity=0, data_collection=0, data_use=0,
                                            data_integration=0, data_security=0))
    world.manager.language = "it"
    db.session.commit()
    login("manager@alfa.example")
    page = client.get(f"/assessment/{assessment.id}/result").text
    assert "/courses/digitalizzazione-101/connettivita-e-iiot" in page and "Connettività e Industrial IoT" in page
    client.post(f"/assessment/{assessment.id}/path", data={"people": [str(world.production.id)],
                                                            "dimensions": ["data"]})
    enrolled = {c.slug for c in db.session.scalars(db.select(Course).join(Enrolment).where(
        Enrolment.user_id == world.production.id))}
    assert "digitalizzazione-101" in enrolled and "digitalization-101" not in enrolled
