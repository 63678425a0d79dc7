"""Enrolment rules: self-enrolment, managers enrolling their staff, completion, progress and resume."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.courses import enrolment
from lms.courses.models import Enrolment, ModuleCompletion
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation
from tests.courses.reading_factories import NOW, make_course


@pytest.fixture
def company(app):
    def make(name="Officine Rossi"):
        org = Organisation(name=name, kind="company")
        db.session.add(org)
        db.session.commit()
        return org

    return make


def test_self_enrolment_is_idempotent(app, create_user):
    lea = create_user()
    course = make_course()
    first = enrolment.enrol(lea, course, now=NOW)
    second = enrolment.enrol(lea, course, now=NOW + timedelta(hours=1))
    db.session.commit()
    assert first.id == second.id
    assert first.enrolled_by_id is None
    assert first.enrolled_at == NOW
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_enrolment_in_a_draft_course_is_refused(app, create_user):
    lea = create_user()
    course = make_course(published=False)
    with pytest.raises(enrolment.EnrolmentError, match="not published"):
        enrolment.enrol(lea, course, now=NOW)


def test_enrol_needs_now(app, create_user):
    with pytest.raises(TypeError):
        enrolment.enrol(create_user(), make_course())


def test_manager_enrols_members_of_managed_organisation_only(app, create_user, company):
    boss = create_user("boss@rossi.example", "Bruno Boss", roles=("company_manager",))
    staff = create_user("anna@rossi.example", "Anna Staff")
    stranger = create_user("carlo@bianchi.example", "Carlo Stranger")
    rossi, bianchi = company("Officine Rossi"), company("Bianchi SpA")
    people.add_member(rossi, boss, "manager")
    people.add_member(rossi, staff)
    people.add_member(bianchi, stranger)
    db.session.commit()
    course = make_course()

    row = enrolment.enrol(staff, course, by=boss, now=NOW)
    assert row.enrolled_by_id == boss.id
    with pytest.raises(enrolment.EnrolmentError, match="^You can enrol only members of the organisations you manage.$"):
        enrolment.enrol(stranger, course, by=boss, now=NOW)
    assert enrolment.get_enrolment(stranger, course) is None
    assert [(o.name, [u.email for u in users]) for o, users in enrolment.staff_of(boss)] == [
        ("Officine Rossi", ["anna@rossi.example", "boss@rossi.example"])]


def test_plain_member_cannot_enrol_colleagues(app, create_user, company):
    member = create_user("m@rossi.example", "Mario Member", roles=("company_manager",))
    colleague = create_user("c@rossi.example", "Chiara Colleague")
    rossi = company()
    people.add_member(rossi, member, "member")  # has the role, but does not manage this organisation
    people.add_member(rossi, colleague)
    db.session.commit()
    with pytest.raises(enrolment.EnrolmentError):
        enrolment.enrol(colleague, make_course(), by=member, now=NOW)


def test_admin_enrols_anyone(app, create_user):
    admin = create_user("admin@example.com", "Ada Admin", roles=("admin",))
    lea = create_user()
    row = enrolment.enrol(lea, make_course(), by=admin, now=NOW)
    assert row.enrolled_by_id == admin.id


def test_inactive_account_cannot_be_enrolled(app, create_user):
    admin = create_user("admin@example.com", "Ada Admin", roles=("admin",))
    lea = create_user()
    lea.is_active = False
    with pytest.raises(enrolment.EnrolmentError, match="deactivated"):
        enrolment.enrol(lea, make_course(), by=admin, now=NOW)


def test_completion_needs_enrolment_and_counts_once(app, create_user):
    lea = create_user()
    course = make_course(modules=3)
    m1, m2, m3 = course.modules
    with pytest.raises(enrolment.EnrolmentError, match="Enrol"):
        enrolment.mark_complete(lea, m1, NOW)
    enrolment.enrol(lea, course, now=NOW)
    assert enrolment.course_progress(lea, course) == (0, 3, 0)
    enrolment.mark_complete(lea, m1, NOW)
    enrolment.mark_complete(lea, m1, NOW + timedelta(minutes=5))
    db.session.commit()
    assert db.session.scalar(select(func.count(ModuleCompletion.id))) == 1
    assert enrolment.course_progress(lea, course) == (1, 3, 33)
    enrolment.mark_complete(lea, m2, NOW)
    assert enrolment.get_enrolment(lea, course).completed_at is None
    enrolment.mark_complete(lea, m3, NOW + timedelta(days=1), via="quiz")
    assert enrolment.course_progress(lea, course) == (3, 3, 100)
    assert enrolment.get_enrolment(lea, course).completed_at == NOW + timedelta(days=1)


def test_progress_counts_only_live_modules(app, create_user):
    lea = create_user()
    course = make_course(modules=4)
    enrolment.enrol(lea, course, now=NOW)
    for module in course.modules[:2]:
        enrolment.mark_complete(lea, module, NOW)
    course.modules[0].archived_at = NOW  # removed from the files: progress kept, no longer counted
    course.modules[3].is_published = False
    db.session.commit()
    assert enrolment.course_progress(lea, course) == (1, 2, 50)


def test_draft_module_cannot_be_completed(app, create_user):
    lea = create_user()
    course = make_course(modules=2)
    enrolment.enrol(lea, course, now=NOW)
    course.modules[1].is_published = False
    with pytest.raises(enrolment.EnrolmentError, match="not available"):
        enrolment.mark_complete(lea, course.modules[1], NOW)


def test_resume_prefers_last_visited_then_first_incomplete(app, create_user):
    lea = create_user()
    course = make_course(modules=3)
    m1, m2, m3 = course.modules
    assert enrolment.resume_module(lea, course) is None  # not enrolled
    assert enrolment.record_visit(enrolment.get_enrolment(lea, course), m2) is False  # not enrolled: nothing kept
    enrolled = enrolment.enrol(lea, course, now=NOW)
    assert enrolment.resume_module(lea, course) == m1
    enrolment.mark_complete(lea, m1, NOW)
    assert enrolment.resume_module(lea, course) == m2
    assert enrolment.record_visit(enrolled, m3) is True
    assert enrolment.record_visit(enrolled, m3) is False
    assert enrolment.resume_module(lea, course) == m3
    m3.is_published = False  # the last visited module became a draft: fall back
    assert enrolment.resume_module(lea, course) == m2
    m3.is_published = True
    enrolment.record_visit(enrolled, m1)  # re-reading a completed module: carry on after it
    assert enrolment.resume_module(lea, course) == m2
    for module in (m2, m3):
        enrolment.mark_complete(lea, module, NOW)
    assert enrolment.resume_module(lea, course) is None


def test_enrolments_of_lists_published_courses_newest_first(app, create_user):
    lea = create_user()
    old = make_course("old-course", "Old course")
    new = make_course("new-course", "New course")
    hidden = make_course("hidden-course", "Hidden course")
    enrolment.enrol(lea, old, now=NOW)
    enrolment.enrol(lea, new, now=NOW + timedelta(days=1))
    enrolment.enrol(lea, hidden, now=NOW)
    hidden.is_published = False
    db.session.commit()
    assert [e.course.slug for e in enrolment.enrolments_of(lea)] == ["new-course", "old-course"]


# Over HTTP -------------------------------------------------------------------------------------------

def test_enrol_staff_page_enrols_only_managed_staff(app, client, create_user, login, company):
    boss = create_user("boss@rossi.example", "Bruno Boss", roles=("company_manager",))
    staff = create_user("anna@rossi.example", "Anna Staff")
    stranger = create_user("carlo@bianchi.example", "Carlo Stranger")
    rossi = company()
    people.add_member(rossi, boss, "manager")
    people.add_member(rossi, staff)
    db.session.commit()
    course = make_course()
    login("boss@rossi.example")

    page = client.get(f"/courses/{course.slug}/enrol-staff")
    assert page.status_code == 200
    assert b"Anna Staff" in page.data and b"Carlo Stranger" not in page.data

    response = client.post(f"/courses/{course.slug}/enrol-staff", data={"users": [str(staff.id), str(stranger.id)]},
                           follow_redirects=True)
    assert "1 person enrolled" in response.get_data(as_text=True)
    assert "You can enrol only members of the organisations you manage." in response.get_data(as_text=True)
    assert "Carlo" not in response.get_data(as_text=True)  # finding 3: a foreign id does not reveal its name
    assert enrolment.get_enrolment(staff, course).enrolled_by_id == boss.id
    assert enrolment.get_enrolment(stranger, course) is None


def test_enrol_staff_needs_the_manager_role(app, client, create_user, login):
    create_user()
    course = make_course()
    login()
    assert client.get(f"/courses/{course.slug}/enrol-staff").status_code == 403


def test_enrol_button_and_my_learning(app, client, create_user, login):
    create_user()
    course = make_course()
    login()
    empty = client.get("/progress/me").get_data(as_text=True)
    assert "You are not enrolled in any course yet." in empty and 'href="/courses/"' in empty
    response = client.post(f"/courses/{course.slug}/enrol", follow_redirects=True)
    assert "You are enrolled" in response.get_data(as_text=True)
    page = client.get("/progress/me").get_data(as_text=True)
    assert "Digital basics" in page and 'aria-valuenow="0"' in page and "/courses/digital-basics/m1" in page


def test_enrol_requires_sign_in(app, client):
    course = make_course()
    response = client.post(f"/courses/{course.slug}/enrol")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0


def test_demo_enrolments_are_repeatable(app, create_user, company):
    from lms.courses.demo_data import demo_enrolments

    manager = create_user("manager@officina.example", "Marta Galli", roles=("company_manager",))
    rossi = company()
    people.add_member(rossi, manager, "manager")
    learners = [create_user(f"learner{i:02d}@officina.example", f"Learner {i}") for i in range(1, 4)]
    walkthrough = create_user("learner@officina.example", "Luca Bassi")
    for user in [*learners, walkthrough]:
        people.add_member(rossi, user)
    db.session.commit()
    course = make_course("digitalization-101", "Digitalization 101", modules=3)
    demo_enrolments()
    demo_enrolments()
    db.session.commit()
    assert [enrolment.course_progress(u, course)[0] for u in learners] == [0, 1, 2]
    assert enrolment.get_enrolment(walkthrough, course) is None
    assert db.session.scalar(select(func.count(Enrolment.id))) == 3


def test_concurrent_enrolment_and_completion_make_one_row_each(db_app):
    """Double clicks and two tabs: simultaneous requests end with one enrolment and one completion, no error."""
    import threading

    from lms.auth import accounts
    from lms.courses.models import Course

    lea = accounts.create_user("lea@example.com", "Lea", password="correct-horse-battery")
    course = make_course(modules=1)
    user_id, course_id = lea.id, course.id
    db.session.remove()
    barrier = threading.Barrier(6)
    errors, enrolment_ids = [], []

    def click():
        with db_app.app_context():
            try:
                from lms.auth.models import User

                user, target = db.session.get(User, user_id), db.session.get(Course, course_id)
                barrier.wait(10)
                row = enrolment.enrol(user, target, now=NOW)
                db.session.commit()
                enrolment_ids.append(row.id)
                enrolment.mark_complete(user, target.modules[0], NOW)
                db.session.commit()
            except Exception as exc:  # collected: the assertion below shows it
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(set(enrolment_ids)) == 1
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1
    assert db.session.scalar(select(func.count(ModuleCompletion.id))) == 1


def test_enrol_staff_answers_the_same_for_foreign_unknown_and_deactivated_ids(app, client, create_user, login,
                                                                              company):
    """Security finding 3: whatever ids a manager posts, the page names nobody they may not enrol."""
    boss = create_user("boss@rossi.example", "Bruno Boss", roles=("company_manager",))
    rossi = company()
    people.add_member(rossi, boss, "manager")
    stranger = create_user("carlo@bianchi.example", "Carlo Stranger")
    gone = create_user("dora@bianchi.example", "Dora Deactivated")
    gone.is_active = False
    db.session.commit()
    course = make_course()
    login("boss@rossi.example")
    pages = []
    for ids in ([stranger.id], [gone.id], [987654], [2**40]):
        response = client.post(f"/courses/{course.slug}/enrol-staff", data={"users": [str(i) for i in ids]})
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "Carlo" not in text and "Dora" not in text and "deactivated" not in text
        pages.append(re.findall(r'alert-danger[^>]*>(.*?)<', text, re.S))
    assert pages[0] == pages[1] == pages[2] == pages[3] != []
