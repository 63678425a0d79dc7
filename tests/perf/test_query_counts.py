"""SQL statements per page: a small constant that does not grow with modules, enrolments or attempts.

Each page is requested twice on the same database: after building a small data set, and after adding
more of everything (modules, courses, other learners' enrolments and completions, the learner's own
attempts and completions). Both counts must be equal and under a ceiling. Counting uses SQLAlchemy's
cursor events on the app's engine, so every statement counts, whoever issues it.
"""
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from lms.auth import accounts
from lms.auth.models import User
from lms.courses import enrolment, search
from lms.courses.models import Course, Module
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.quizzes import attempts as quiz_rules
from tests.conftest import PASSWORD
from tests.courses.reading_factories import make_course
from tests.quizzes.learner_factories import NOW, make_quiz

LEARNER = "learner@example.com"

# path, signed in with "session" or "token", ceiling: the most statements the page may need
PAGES = {
    "module page": ("/courses/c0/m1", "session", 7),
    "course page": ("/courses/c0", "session", 5),
    "catalogue": ("/courses/", "session", 3),
    "catalogue search": ("/courses/?q=module", "session", 4),
    "my learning": ("/progress/me", "session", 6),  # person, progress, next steps, attempts, bookings, certificates
    "API course": ("/api/v1/courses/c0", "token", 3),  # token, course with its editions, modules
    "API my progress": ("/api/v1/me/progress", "token", 2),
}


@contextmanager
def count_statements(engine):
    """A list that collects each SQL statement the engine runs inside the block."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


class World:
    """Courses c0..cN, a learner enrolled in each, other learners; `grow()` adds more of everything."""

    def __init__(self):
        learner = accounts.create_user(LEARNER, "Lea Learner", roles=["learner"], password=PASSWORD)
        db.session.commit()
        self.token = accounts.create_api_token(learner, "perf")[1]
        db.session.commit()
        # Ids, not objects: each measured request starts from an empty session, as in production.
        self.learner_id, self.course_ids, self.others, self.labs = learner.id, [], 0, 0

    @property
    def learner(self):
        return db.session.get(User, self.learner_id)

    @property
    def courses(self) -> list:
        return [db.session.get(Course, course_id) for course_id in self.course_ids]

    def add_course(self, modules: int):
        n = len(self.course_ids)
        course = make_course(slug=f"c{n}", title=f"Course {n}", modules=modules)
        for module in course.modules:
            make_quiz(course, module)
        make_quiz(course, None, time_limit=20)
        search.reindex(course)
        self.course_ids.append(course.id)
        enrolment.enrol(self.learner, course, now=NOW)
        db.session.commit()
        return course

    def add_others(self, count: int):
        for _ in range(count):
            self.others += 1
            user = accounts.create_user(f"other{self.others}@example.com", f"Other {self.others}",
                                        roles=["learner"], password=PASSWORD)
            for course in self.courses:
                enrolment.enrol(user, course, now=NOW)
                enrolment.mark_complete(user, course.modules[0], NOW)
        db.session.commit()

    def learn(self, course, modules: int, attempts: int):
        """The learner completes `modules` modules of `course` and makes `attempts` attempts at each quiz."""
        from lms.quizzes.store import get_quiz

        for module in course.modules[:modules]:
            enrolment.mark_complete(self.learner, module, NOW)
        for module in [*course.modules, None]:
            quiz = get_quiz(course, module)
            for k in range(attempts):
                attempt = quiz_rules.start_attempt(self.learner, quiz, NOW + timedelta(minutes=k))
                quiz_rules.submit_attempt(attempt, NOW + timedelta(minutes=k, seconds=30))
        db.session.commit()

    def book(self, count: int):
        """The learner books a seat in `count` upcoming sessions, each at a lab of its own (my learning lists
        them with their lab)."""
        from lms.labs.booking import book_seat
        from lms.labs.models import Lab, LabSession

        for _ in range(count):
            self.labs += 1
            starts = utcnow() + timedelta(days=7 + self.labs)
            session = LabSession(lab=Lab(slug=f"lab-{self.labs}", name=f"Lab {self.labs}", venue="Venue",
                                         address="Via Roma 1, Bologna", coordinator_email="coord@example.com"),
                                 title=f"Session {self.labs}", starts_at=starts, ends_at=starts + timedelta(hours=2),
                                 capacity=5)
            db.session.add(session)
            db.session.flush()
            book_seat(session, self.learner, by=self.learner, now=utcnow())
        db.session.commit()

    def small(self):
        course = self.add_course(modules=2)
        self.add_others(1)
        self.learn(course, modules=1, attempts=1)
        self.book(1)

    def grow(self):
        for _ in range(3):
            self.add_course(modules=7)
        for course in self.courses[:1]:
            for n in range(3, 9):  # more modules in the course the pages show
                module = Module(course=course, slug=f"m{n}", position=n, title=f"Module {n}", minutes=5, body="Text.",
                                summary="", is_published=True)
                db.session.add(module)
                db.session.flush()
                make_quiz(course, module)
            search.reindex(course)
        self.add_others(6)
        for course in self.courses:
            self.learn(course, modules=3, attempts=3)
        self.learn(self.courses[0], modules=6, attempts=2)
        self.book(3)


def measure(app, client, world, path, how) -> list[str]:
    headers = {"Authorization": f"Bearer {world.token}"} if how == "token" else {}  # world: only for a token
    db.session.remove()  # a request starts with an empty session (the tests' app context outlives requests)
    with count_statements(db.engine) as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return statements


@pytest.fixture
def world(app):
    # What a page costs to build (a first view, or after a change): a page served again from the page cache is
    # one statement, tested in tests/perf/test_page_cache.py.
    app.config["PAGE_CACHE"] = False
    return World()


@pytest.fixture
def signed_in(client, world):
    response = client.post("/login", data={"email": LEARNER, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("page", PAGES)
def test_statements_per_page_do_not_grow_with_data(app, signed_in, world, page):
    path, how, ceiling = PAGES[page]
    world.small()
    measure(app, signed_in, world, path, how)  # the first request fills per-process caches
    small = measure(app, signed_in, world, path, how)
    world.grow()
    measure(app, signed_in, world, path, how)
    large = measure(app, signed_in, world, path, how)
    assert len(large) == len(small), "\n".join([f"grew with data: {len(small)} -> {len(large)}", *brief(large)])
    assert len(small) <= ceiling, "\n".join([f"{len(small)} statements (ceiling {ceiling}):", *brief(small)])


@pytest.mark.parametrize("page", ["course page", "catalogue", "my learning", "API course", "module page"])
def test_no_page_reads_the_markdown_of_modules_it_does_not_show(app, signed_in, world, page):
    """Module bodies are the largest column: only the module page reads one, its own (beside the syllabus)."""
    path, how, _ceiling = PAGES[page]
    world.small()
    bodies = [s for s in measure(app, signed_in, world, path, how) if re.search(r"modules\.body\b", s)]
    if page == "module page":
        assert len(bodies) == 1 and re.search(r"CASE WHEN \(modules\.slug = \S+\) THEN modules\.body", bodies[0])
    else:
        assert bodies == [], brief(bodies)


def brief(statements: list[str]) -> list[str]:
    return [" ".join(s.split())[:150] for s in statements]


def test_enrol_staff_page_statements_do_not_grow_with_staff(app, client):
    """A company manager's list of staff with each one's progress in the course: one query for the list and
    one for everyone's progress, however many people (it once asked twice per person)."""
    from lms.orgs import people
    from lms.orgs.models import Organisation

    course = make_course(slug="c0", title="Course 0", modules=3)
    manager = accounts.create_user("boss@example.com", "Boss", roles=["company_manager"], password=PASSWORD)
    company = Organisation(name="Acme", kind="company")
    db.session.add(company)
    people.add_member(company, manager, role="manager")
    db.session.commit()
    ids = course.id, company.id, manager.id  # measure() empties the session: objects are read again

    def hire(count, start):
        course, company, manager = db.session.get(Course, ids[0]), db.session.get(Organisation, ids[1]), \
            db.session.get(User, ids[2])
        for n in range(start, start + count):
            user = accounts.create_user(f"staff{n}@example.com", f"Staff {n}", roles=["learner"], password=PASSWORD)
            people.add_member(company, user)
            if n % 2:
                enrolment.enrol(user, course, by=manager, now=NOW)
                enrolment.mark_complete(user, course.modules[0], NOW)
        db.session.commit()

    assert client.post("/login", data={"email": "boss@example.com", "password": PASSWORD}).status_code == 302
    hire(2, 0)
    measure(app, client, None, "/courses/c0/enrol-staff", "session")
    small = measure(app, client, None, "/courses/c0/enrol-staff", "session")
    hire(12, 2)
    page = client.get("/courses/c0/enrol-staff").get_data(as_text=True)
    assert page.count("Enrolled: 1 of 3 modules") == 7  # the odd ones, each with their own progress
    large = measure(app, client, None, "/courses/c0/enrol-staff", "session")
    assert len(large) == len(small), "\n".join([f"grew with staff: {len(small)} -> {len(large)}", *brief(large)])
    assert len(small) <= 9, "\n".join([f"{len(small)} statements:", *brief(small)])


def test_api_enrolment_answer_counts_progress_in_one_statement(app, client, world):
    world.small()
    headers = {"Authorization": f"Bearer {world.token}"}
    client.post("/api/v1/courses/c0/enrolment", headers=headers)  # the token's last use is written once a minute
    db.session.remove()
    with count_statements(db.engine) as statements:
        response = client.post("/api/v1/courses/c0/enrolment", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.json["modules_completed"], response.json["modules_total"]) == (1, 2)
    progress = [s for s in statements if "count(modules.id)" in s]  # the required modules, with the figures
    assert len(progress) == 1 and not [s for s in statements if "module_completions" in s], brief(statements)


# A class starting the same quiz at once, then autosaving: the statements of pressing Start, of the first
# question page it leads to, and of an autosave must not grow with the quiz's questions or the learner's attempts.
QUIZ_CEILINGS = {"start": 5, "first page": 3, "first autosave": 2, "next autosave": 2}


def quiz_requests(client, path: str) -> dict[str, list[str]]:
    from lms.quizzes.models import Attempt, QuizQuestion

    counted = {}
    db.session.remove()
    with count_statements(db.engine) as counted["start"]:
        started = client.post(path + "/start")
    assert started.status_code == 302, started.status_code
    location = started.headers["Location"]
    attempt_id = int(location.rsplit("/", 1)[1])
    db.session.remove()
    with count_statements(db.engine) as counted["first page"]:
        page = client.get(location)
    assert page.status_code == 200 and 'data-question="' in page.get_data(as_text=True)
    question_ids = db.session.get(Attempt, attempt_id).layout["questions"]
    question_id = next(i for i in question_ids if db.session.get(QuizQuestion, i).name == "PLC")
    for label, answer in (("first autosave", True), ("next autosave", False)):  # an insert, then an update
        db.session.remove()
        with count_statements(db.engine) as counted[label]:
            saved = client.post(f"/quiz/attempts/{attempt_id}/answers", json={"question_id": question_id,
                                                                               "answer": answer})
        assert saved.status_code == 200 and "saved_at" in saved.get_json(), saved.get_data(as_text=True)
    db.session.remove()
    submitted = client.post(f"/quiz/attempts/{attempt_id}/submit", data={"confirmed": "1"})
    assert submitted.status_code == 302
    responses = db.session.get(Attempt, attempt_id).responses
    assert [(r.question_id, r.answer) for r in responses] == [(question_id, False)]  # one row, the last answer
    return counted


def test_quiz_start_and_autosave_statements_do_not_grow(app, signed_in, world):
    from lms.quizzes import gift, store
    from tests.quizzes.learner_factories import QUIZ_GIFT

    world.small()
    path = "/courses/c0/m1/quiz"
    quiz_requests(signed_in, path)  # the first requests fill per-process caches
    small = quiz_requests(signed_in, path)
    world.grow()  # more courses, learners and attempts (the learner's own at this quiz too)
    course = world.courses[0]
    quiz = store.get_quiz(course, course.modules[0])
    more = "\n".join(f"::Extra {n}::Statement {n} holds.{{T}}\n" for n in range(15))
    store.replace_questions(quiz, gift.parse(QUIZ_GIFT + "\n" + more), NOW, from_browser=False)
    db.session.commit()
    quiz_requests(signed_in, path)
    large = quiz_requests(signed_in, path)
    for label, ceiling in QUIZ_CEILINGS.items():
        assert len(large[label]) == len(small[label]), "\n".join(
            [f"{label} grew with data: {len(small[label])} -> {len(large[label])}", *brief(large[label])])
        assert len(small[label]) <= ceiling, "\n".join(
            [f"{label}: {len(small[label])} statements (ceiling {ceiling}):", *brief(small[label])])
