"""Course completion recorded when it happens, and recomputed when content changes."""
from datetime import timedelta

from sqlalchemy import select

from lms.courses import enrolment
from lms.courses.models import Enrolment, Module
from lms.extensions import db
from lms.labs import booking as lab_booking
from lms.labs.models import ATTENDED, CONFIRMED
from lms.progress import completion
from lms.progress.models import Certificate
from lms.quizzes import attempts
from tests.progress.factories import NOW, book, session_of, store_quizzes


def enrolment_of(user, course):
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))


def test_complete_learner_is_dated_by_the_last_requirement_and_gets_one_certificate(world):
    ada = world.people["ada"]
    assert enrolment_of(ada, world.course).completed_at == NOW - timedelta(days=5)  # the final quiz
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == ada.id))
    assert certificate.course_title == "Industry basics" and certificate.completed_at == NOW - timedelta(days=5)
    completion.recompute([world.course.id], NOW + timedelta(days=1))  # idempotent
    assert db.session.query(Certificate).count() == 1


def test_marking_the_last_module_completes_only_when_the_final_quiz_is_passed(world):
    carla = world.people["carla"]
    for module in world.course.modules:
        enrolment.mark_complete(carla, module, NOW)
    assert enrolment_of(carla, world.course).completed_at is None
    final = next(q for q in store_quizzes(world.course) if q.is_final)
    attempt = attempts.start_attempt(carla, final, NOW)
    row = final.live_questions[0]
    attempts.save_response(attempt, row.id, True, NOW)
    attempts.submit_attempt(attempt, NOW + timedelta(minutes=3))
    db.session.commit()
    assert enrolment_of(carla, world.course).completed_at == NOW + timedelta(minutes=3)
    assert db.session.scalar(select(Certificate.id).where(Certificate.user_id == carla.id)) is not None


def test_a_required_lab_counts_from_attendance_marked_by_the_labs_feature(world):
    world.course.required_lab_slug = world.lab.slug
    completion.recompute([world.course.id], NOW)
    db.session.commit()
    ada, elsa = world.people["ada"], world.people["elsa"]
    assert enrolment_of(ada, world.course).completed_at is not None  # attended the past session
    # elsa finishes everything but was a no-show: not complete until her attendance is corrected
    for module in world.course.modules:
        enrolment.mark_complete(elsa, module, NOW)
    final = next(q for q in store_quizzes(world.course) if q.is_final)
    from tests.progress.factories import attempt
    attempt(elsa, final, 1.0, NOW)
    completion.record(elsa, world.course, NOW)
    db.session.commit()
    assert enrolment_of(elsa, world.course).completed_at is None
    booking = world.past_session.bookings[0]
    assert booking.user_id == elsa.id
    lab_booking.mark_attendance(booking, ATTENDED, now=NOW)
    db.session.commit()
    assert enrolment_of(elsa, world.course).completed_at == NOW  # her modules and final quiz came last
    lab_booking.mark_attendance(booking, CONFIRMED, now=NOW)  # corrected back: no longer attended
    db.session.commit()
    assert enrolment_of(elsa, world.course).completed_at is None
    assert db.session.scalar(select(Certificate.id).where(Certificate.user_id == elsa.id)) is not None  # kept


def test_a_rolled_back_attendance_change_recomputes_nothing(world):
    world.course.required_lab_slug = world.lab.slug
    db.session.commit()
    session = session_of(world.lab, NOW - timedelta(days=1))
    row = book(world.people["bruno"], session, CONFIRMED)
    db.session.commit()
    row.status = ATTENDED
    db.session.rollback()
    assert not db.session.info.get(completion._PENDING)


def test_content_changes_recompute(world):
    ada = world.people["ada"]
    extra = Module(course=world.course, slug="m9", position=9, title="New", minutes=5, body="x", is_published=True)
    db.session.add(extra)
    db.session.flush()
    completion.recompute([world.course.id], NOW)
    assert enrolment_of(ada, world.course).completed_at is None  # a new required module
    extra.is_optional = True
    completion.recompute([world.course.id], NOW)
    assert enrolment_of(ada, world.course).completed_at == NOW - timedelta(days=5)


def test_a_sync_that_adds_a_module_recomputes(app, tmp_path):
    from lms.content import loading
    from tests.progress.factories import complete_module, make_course, person
    from tests.progress.factories import enrol as enrol_row

    course_dir = tmp_path / "courses" / "tiny"
    course_dir.mkdir(parents=True)
    (course_dir / "course.md").write_text("---\ntitle: Tiny\nsummary: S.\nlanguage: en\naudience: [manager]\n"
                                          "trainers: [t@example.com]\n---\nAbout.\n")
    (course_dir / "01-one.md").write_text("---\ntitle: One\nminutes: 5\n---\nText.\n")
    loading.sync_content(courses=tmp_path / "courses", now=NOW)
    db.session.commit()
    from lms.courses.models import Course
    course = db.session.scalar(select(Course).where(Course.slug == "tiny"))
    learner = person("l@example.com")
    enrol_row(learner, course, NOW)
    complete_module(learner, course.modules[0], NOW)
    completion.record(learner, course, NOW)
    db.session.commit()
    assert enrolment_of(learner, course).completed_at == NOW
    (course_dir / "02-two.md").write_text("---\ntitle: Two\nminutes: 5\n---\nText.\n")
    loading.sync_content(courses=tmp_path / "courses", now=NOW)
    db.session.commit()
    assert enrolment_of(learner, course).completed_at is None
    (course_dir / "02-two.md").write_text("---\ntitle: Two\nminutes: 5\noptional: true\n---\nText.\n")
    loading.sync_content(courses=tmp_path / "courses", now=NOW)
    db.session.commit()
    assert enrolment_of(learner, course).completed_at == NOW
    del make_course


def test_completing_a_course_e_mails_the_certificate_after_the_commit(world, app):
    from tests.conftest import outbox
    from tests.progress.factories import attempt

    carla = world.people["carla"]
    for module in world.course.modules:
        enrolment.mark_complete(carla, module, NOW)
    final = next(q for q in store_quizzes(world.course) if q.is_final)
    attempt(carla, final, 1.0, NOW)
    completion.record(carla, world.course, NOW)
    assert outbox(app) == []  # nothing leaves before the commit
    db.session.commit()
    messages = [m for m in outbox(app) if m["To"] == "carla@example.com"]
    assert len(messages) == 1 and "Industry basics" in messages[0]["Subject"]
    code = db.session.scalar(select(Certificate.code).where(Certificate.user_id == carla.id))
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in messages[0].get_body(("plain",)).get_content()


def test_publishing_or_withdrawing_a_module_in_the_browser_recomputes_at_once(world, sign_in):
    ada = world.people["ada"]
    draft = Module(course=world.course, slug="m9", position=9, title="New", minutes=5, body="x", is_published=False)
    db.session.add(draft)
    db.session.commit()
    trainer = sign_in("trainer")
    assert trainer.post("/authoring/industry-basics/modules/m9/publish").status_code == 302
    db.session.expire_all()
    row = enrolment_of(ada, world.course)
    assert row.completed_at is None and row.modules_done == 3  # the new module is required: not complete now
    assert trainer.post("/authoring/industry-basics/modules/m9/unpublish").status_code == 302
    db.session.expire_all()
    assert enrolment_of(ada, world.course).completed_at == NOW - timedelta(days=5)  # dated as before, not now
    assert db.session.query(Certificate).filter_by(user_id=ada.id).count() == 1


def test_withdrawing_a_module_in_the_browser_completes_who_lacked_only_it(world, sign_in):
    carla = world.people["carla"]
    for module in world.course.modules[:-1]:
        enrolment.mark_complete(carla, module, NOW - timedelta(hours=2))
    final = next(q for q in store_quizzes(world.course) if q.is_final)
    from tests.progress.factories import attempt
    attempt(carla, final, 1.0, NOW - timedelta(hours=1))
    completion.record(carla, world.course, NOW)
    db.session.commit()
    assert enrolment_of(carla, world.course).completed_at is None
    last = world.course.modules[-1].slug
    assert sign_in("trainer").post(f"/authoring/industry-basics/modules/{last}/unpublish").status_code == 302
    db.session.expire_all()
    assert enrolment_of(carla, world.course).completed_at == NOW - timedelta(hours=1)
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == carla.id))
    assert certificate is not None and certificate.completed_at == NOW - timedelta(hours=1)
