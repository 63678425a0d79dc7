"""A learner's own progress (lms.progress.own) is read in fewer statements than the reports' rows, and must say the
same: the rows, their totals and lab figures, paging and the next module to read are checked here against
queries.rows and enrolment.resume_module, person by person."""
from dataclasses import asdict
from datetime import timedelta

from lms.courses import enrolment
from lms.courses.models import Course
from lms.extensions import db
from lms.labs.models import CONFIRMED
from lms.progress import access, own, queries
from tests.progress.factories import NOW, book, complete_module, enrol, make_course, session_of


def _more(world):
    """bruno: a second course, a seat in a session still to come and one in a past session not yet marked;
    carla: enrolled in a draft."""
    p = world.people
    enrol(p["bruno"], world.course_it, NOW - timedelta(days=3))
    book(p["bruno"], session_of(world.lab, NOW + timedelta(days=5)), CONFIRMED)
    book(p["bruno"], world.past_session, CONFIRMED)
    draft = make_course(slug="draft-course", title="A draft")
    draft.is_published = False
    enrol(p["carla"], draft, NOW - timedelta(days=1))
    complete_module(p["bruno"], world.course_it.modules[1], NOW - timedelta(days=1))
    db.session.flush()


def _fields(row):
    return {k: v for k, v in asdict(row).items() if k != "last_module_id"}


def test_own_rows_are_the_reports_rows_of_that_person(world):
    _more(world)
    for name, user in world.people.items():
        expected = queries.rows(access.self_scope(user), now=NOW)
        got = own.rows(user, NOW)
        assert [_fields(r) for r in got] == [_fields(r) for r in expected], name
    bruno = own.rows(world.people["bruno"], NOW)
    assert [r.upcoming for r in bruno] == [1, 1] and all(r.total == 3 for r in bruno)
    assert [r.course_slug for r in own.rows(world.people["carla"], NOW)] == ["industry-basics"]  # no draft


def test_own_count_is_the_number_of_rows_on_every_page(world):
    _more(world)
    bruno = world.people["bruno"]
    assert own.count(bruno, own.rows(bruno, NOW), 50, 0) == 2
    for limit in (1, 2, 3):
        for offset in range(0, 5):
            page = own.rows(bruno, NOW, limit=limit, offset=offset)
            assert own.count(bruno, page, limit, offset) == 2, (limit, offset)
    assert own.count(world.people["stranger"], [], 50, 0) == 0


def test_next_steps_are_where_resume_module_carries_on(world):
    _more(world)
    for name, user in world.people.items():
        rows = own.rows(user, NOW)
        steps = own.next_steps(user.id, rows)
        for r in rows:
            expected = enrolment.resume_module(user, db.session.get(Course, r.course_id))
            if r.is_complete:
                assert r.course_id not in steps, name
            else:
                assert (steps[r.course_id].id if steps[r.course_id] else None) == (expected.id if expected else None)
    steps = own.next_steps(world.people["bruno"].id, own.rows(world.people["bruno"], NOW))
    assert steps[world.course_it.id].slug == world.course_it.modules[0].slug  # the one not done, before the done


def test_attempts_by_course_are_the_persons_own_oldest_first(world):
    bruno, ada = world.people["bruno"], world.people["ada"]
    tries = own.attempts_by_course(bruno.id, [world.course.id])[world.course.id]
    assert [(t.number, t.score, t.passed) for t in tries] == [(1, 0.0, False), (2, 0.0, False)]
    assert own.attempts_by_course(ada.id, [world.course_it.id]) == {}
