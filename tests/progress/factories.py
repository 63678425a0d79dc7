"""A small world for the progress tests: two companies, two ITS foundations with cohorts, a trainer, a course
with modules, module quizzes and a final quiz, a lab, and learners at different stages. Written straight to the
database (no HTTP), dated from NOW."""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from lms.auth import accounts
from lms.courses.models import Course, Enrolment, ModuleCompletion
from lms.extensions import db
from lms.labs.models import ATTENDED, NO_SHOW, Booking, Lab, LabSession
from lms.orgs import people
from lms.orgs.models import Organisation
from lms.quizzes import gift, store
from lms.quizzes.models import Attempt
from tests.courses import reading_factories

# Relative to the real clock: the pages compute "inactive for N days" from it.
NOW = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
PASSWORD = "correct horse battery staple"
ONE_QUESTION = "::Q1::Is a PLC a computer?{T}\n"


def make_course(slug="industry-basics", title="Industry basics", modules=3, trainers=("trainer@example.com",),
                language="en", translation_of=None, final=True, module_quizzes=True) -> Course:
    course = reading_factories.make_course(slug, title, modules=modules, trainers=trainers, audience=("manager",),
                                           language=language, description="About it.",
                                           translation_of=translation_of, body="Text.", minutes=10)
    if module_quizzes:
        for module in course.modules:
            store.replace_questions(store.get_or_create_quiz(course, module), gift.parse(ONE_QUESTION), NOW,
                                    from_browser=False)
    if final:
        store.replace_questions(store.get_or_create_quiz(course, None), gift.parse(ONE_QUESTION), NOW,
                                from_browser=False)
    db.session.flush()
    return course


def person(email, name=None, roles=("learner",)):
    return accounts.create_user(email, name or email.split("@")[0].replace(".", " ").title(), roles=list(roles),
                                password=PASSWORD)


def enrol(user, course, when):
    row = Enrolment(user_id=user.id, course_id=course.id, enrolled_at=when)
    db.session.add(row)
    db.session.flush()
    return row


def complete_module(user, module, when):
    db.session.add(ModuleCompletion(user_id=user.id, module_id=module.id, completed_at=when, via="manual"))
    db.session.flush()


def attempt(user, quiz, score, when):
    number = 1 + sum(1 for a in db.session.query(Attempt).filter_by(user_id=user.id, quiz_id=quiz.id))
    row = Attempt(quiz_id=quiz.id, user_id=user.id, number=number, state="submitted", started_at=when - timedelta(minutes=5),
                  submitted_at=when, score=score, passed=score * 100 >= quiz.pass_mark)
    db.session.add(row)
    db.session.flush()
    return row


def make_lab(slug="cobot-cell"):
    lab = Lab(slug=slug, name="Cobot cell", venue="Venue", address="Via Roma 1", coordinator_email="c@example.com")
    db.session.add(lab)
    db.session.flush()
    return lab


def session_of(lab, starts_at, capacity=10):
    row = LabSession(lab=lab, title="Cobots", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                     capacity=capacity)
    db.session.add(row)
    db.session.flush()
    return row


def book(user, lab_session, status):
    row = Booking(session_id=lab_session.id, user_id=user.id, status=status)
    lab_session.confirmed_count += 1
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class World:
    course: Course = None
    course_it: Course = None
    lab: Lab = None
    past_session: LabSession = None
    people: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    cohorts: dict = field(default_factory=dict)


def build_world() -> World:
    """Company A (manager_a; staff ada, bruno), company B (manager_b; staff carla), ITS X (its_x; cohort X1
    with dario, elsa), ITS Y (its_y; cohort Y1 with fabio). A trainer teaching `course`, an admin.

    ada: every module and the final quiz passed (complete); bruno: one module, failed quiz twice;
    dario: nothing for 30 days; elsa: no-show at the lab; carla, fabio: one module each."""
    w = World()
    w.course = make_course()
    w.course_it = make_course(slug="basi-industria", title="Basi di industria", language="it",
                              translation_of="industry-basics", trainers=("other.trainer@example.com",))
    w.lab = make_lab()
    w.past_session = session_of(w.lab, NOW - timedelta(days=3))
    for key, roles in (("admin", ("admin",)), ("trainer", ("trainer",)), ("other.trainer", ("trainer",)),
                       ("manager_a", ("company_manager", "learner")), ("manager_b", ("company_manager",)),
                       ("its_x", ("its_staff",)), ("its_y", ("its_staff",)),
                       ("ada", ()), ("bruno", ()), ("carla", ()), ("dario", ()), ("elsa", ()), ("fabio", ()),
                       ("stranger", ())):
        w.people[key] = person(f"{key}@example.com", roles=roles or ("learner",))
    p = w.people
    for key, name, kind in (("a", "Company A", "company"), ("b", "Company B", "company"),
                            ("x", "ITS X", "its"), ("y", "ITS Y", "its")):
        w.orgs[key] = Organisation(name=name, kind=kind)
        db.session.add(w.orgs[key])
    db.session.flush()
    people.add_member(w.orgs["a"], p["manager_a"], "manager")
    people.add_member(w.orgs["b"], p["manager_b"], "manager")
    people.add_member(w.orgs["x"], p["its_x"], "manager")
    people.add_member(w.orgs["y"], p["its_y"], "member")
    for org, names in (("a", ("ada", "bruno")), ("b", ("carla",)), ("x", ("dario", "elsa")), ("y", ("fabio",))):
        for name in names:
            people.add_member(w.orgs[org], p[name], "member")
    w.cohorts["x1"] = people.get_or_create_cohort(w.orgs["x"], "X1")
    w.cohorts["y1"] = people.get_or_create_cohort(w.orgs["y"], "Y1")
    for name in ("dario", "elsa"):
        people.add_to_cohort(w.cohorts["x1"], p[name])
    people.add_to_cohort(w.cohorts["y1"], p["fabio"])

    modules = w.course.modules
    quizzes = {q.module_id: q for q in store_quizzes(w.course)}
    final = next(q for q in store_quizzes(w.course) if q.is_final)
    for name in ("ada", "bruno", "carla", "dario", "elsa", "fabio"):
        enrol(p[name], w.course, NOW - timedelta(days=40))
    for i, module in enumerate(modules):
        complete_module(p["ada"], module, NOW - timedelta(days=10 - i))
        attempt(p["ada"], quizzes[module.id], 1.0, NOW - timedelta(days=10 - i))
    attempt(p["ada"], final, 0.9, NOW - timedelta(days=5))
    complete_module(p["bruno"], modules[0], NOW - timedelta(days=2))
    attempt(p["bruno"], quizzes[modules[1].id], 0.0, NOW - timedelta(days=2))
    attempt(p["bruno"], quizzes[modules[1].id], 0.0, NOW - timedelta(days=1))
    complete_module(p["carla"], modules[0], NOW - timedelta(days=1))
    complete_module(p["fabio"], modules[0], NOW - timedelta(days=1))
    complete_module(p["elsa"], modules[0], NOW - timedelta(days=4))
    book(p["elsa"], w.past_session, NO_SHOW)
    book(p["ada"], w.past_session, ATTENDED)
    enrol(p["dario"], w.course_it, NOW - timedelta(days=30))
    from lms.progress import completion

    completion.recompute([w.course.id, w.course_it.id], NOW)
    db.session.commit()
    return w


def store_quizzes(course):
    from lms.quizzes.models import Quiz

    return list(db.session.query(Quiz).filter_by(course_id=course.id).order_by(Quiz.id))
