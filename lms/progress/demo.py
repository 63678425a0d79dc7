"""A realistic demo population for `lms demo --learners N`, fast enough for N = 10,000 (seconds, not minutes).

The demo password is hashed once and the hash reused; people, memberships, cohorts, enrolments, completions,
attempts and lab bookings go in as bulk inserts (one statement per table and chunk), from a seeded random
generator, so two runs on empty databases make the same population. Only learners without any enrolment get
progress, so a second run adds nothing to those who have it.
"""
import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from lms.auth.models import User, UserRole
from lms.courses.models import Course, Enrolment, ModuleCompletion
from lms.extensions import db
from lms.labs.models import ATTENDED, NO_SHOW, Booking, Lab, LabSession
from lms.orgs.models import Cohort, CohortMember, Membership, Organisation
from lms.progress import completion
from lms.quizzes.models import Attempt, Quiz

CHUNK = 2000
EXTRA_COMPANIES = [("Officine Pedretti S.p.A. (demo)", "Brescia"), ("Plastiche Adriatiche S.r.l. (demo)", "Ancona"),
                   ("Tessitura Lariana S.r.l. (demo)", "Como"), ("Food Valley Packaging S.r.l. (demo)", "Parma")]
COHORTS = ["Mechatronics 2026-2028", "Mechatronics 2025-2027", "Industrial automation 2026", "Digital HR 2026"]
FIRST = ["Anna", "Marco", "Sara", "Davide", "Chiara", "Matteo", "Elisa", "Andrea", "Francesca", "Simone",
         "Valentina", "Stefano", "Laura", "Riccardo", "Martina", "Federico"]
LAST = ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
        "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi"]


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(model, rows, tick=None):
    """Core executemany on the table (column defaults applied): far less per-row work than ORM objects."""
    connection = db.session.connection()
    for part in _chunks(rows):
        connection.execute(insert(model.__table__), part)
        if tick:
            tick(len(part))


def learner_rows(count: int) -> list[tuple[str, str]]:
    """(e-mail, name) of demo learners 1..count: learner01@officina.example, ..."""
    return [(f"learner{i + 1:02d}@officina.example", f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}")
            for i in range(count)]


def add_learners(count: int, company: Organisation, foundation: Organisation, password_hash: str,
                 tick=None) -> list[int]:
    """Add the demo learners that are missing; even ones work for companies, odd ones study at the foundation in
    one of its cohorts. The first 24 keep the small demo's layout (the demo company, the first cohort); the
    rest go to further demo companies, so the demo company stays a small team to try things with.
    Returns the ids of the learners added."""
    wanted = learner_rows(count)
    existing = set()
    for part in _chunks([email for email, _name in wanted]):
        existing.update(db.session.scalars(select(User.email).where(User.email.in_(part))))
    new = [(email, name) for email, name in wanted if email not in existing]
    if not new:
        return []
    companies = [company] + _extra_companies(count)
    cohorts = [_cohort(foundation, name) for name in (COHORTS if count > 24 else COHORTS[:1])]
    _insert(User, [{"email": email, "name": name, "password_hash": password_hash, "timezone": "Europe/Rome"}
                   for email, name in new], tick)
    ids = {}
    for part in _chunks([email for email, _name in new]):
        ids.update(db.session.execute(select(User.email, User.id).where(User.email.in_(part))).all())
    _insert(UserRole, [{"user_id": ids[email], "role": "learner"} for email, _name in new])
    memberships, cohort_rows = [], []
    for email, _name in new:
        i = int(email[len("learner"):].split("@")[0]) - 1
        if i % 2 == 0:
            organisation = companies[0] if i < 24 else companies[1 + (i // 2) % (len(companies) - 1)]
            memberships.append({"organisation_id": organisation.id, "user_id": ids[email], "role": "member"})
        else:
            memberships.append({"organisation_id": foundation.id, "user_id": ids[email], "role": "member"})
            cohort = cohorts[0] if i < 24 else cohorts[(i // 2) % len(cohorts)]
            cohort_rows.append({"cohort_id": cohort.id, "user_id": ids[email]})
    _insert(Membership, memberships)
    _insert(CohortMember, cohort_rows)
    return list(ids.values())


def _extra_companies(count: int) -> list[Organisation]:
    if count <= 24:
        return []
    result = []
    for name, city in EXTRA_COMPANIES:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, kind="company", city=city)
            db.session.add(organisation)
            db.session.flush()
        result.append(organisation)
    return result


def _cohort(foundation: Organisation, name: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.organisation_id == foundation.id, Cohort.name == name))
    if cohort is None:
        cohort = Cohort(organisation_id=foundation.id, name=name)
        db.session.add(cohort)
        db.session.flush()
    return cohort


def add_progress(user_ids: list[int], now: datetime, seed: int = 2026, tick=None) -> dict:
    """Enrolments, module completions, quiz attempts and past lab bookings for `user_ids` (learners with no
    enrolment yet), spread over the last twelve weeks; then completions and certificates by the real rules.
    Returns counts by kind. Needs the courses synced (nothing is added otherwise)."""
    courses = list(db.session.scalars(select(Course).where(Course.is_published.is_(True)).order_by(Course.id)))
    if not courses or not user_ids:
        return {}
    enrolled = set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.user_id.in_(user_ids)))) \
        if len(user_ids) <= 30000 else set()
    user_ids = [u for u in user_ids if u not in enrolled]
    rng = random.Random(seed)
    by_original = {}
    for course in courses:
        by_original.setdefault(course.translation_of or course.slug, []).append(course)
    families = list(by_original.values())
    modules = {c.id: [m for m in c.live_modules if not m.is_optional] for c in courses}
    quizzes = {}
    for quiz in db.session.scalars(select(Quiz).where(Quiz.course_id.in_([c.id for c in courses]))):
        quizzes[quiz.module_id if quiz.module_id is not None else ("final", quiz.course_id)] = quiz
    enrolments, completions, attempts = [], [], []
    for user_id in user_ids:
        profile = rng.random()  # a learner's habit: some race ahead, some stall, some never start
        for family in rng.sample(families, k=min(len(families), rng.choice((1, 1, 2, 2, 3)))):
            course = rng.choice(family)  # one edition of a course: Italian or English, never both
            start = now - timedelta(days=rng.randint(14, 84), hours=rng.randint(0, 10))
            enrolments.append({"user_id": user_id, "course_id": course.id, "enrolled_at": start})
            live = modules[course.id]
            reach = len(live) if profile > 0.75 else int(len(live) * rng.random() * (profile + 0.3))
            when = start
            for module in live[:reach]:
                when = min(now - timedelta(hours=1), when + timedelta(days=rng.uniform(0.5, 6)))
                quiz = quizzes.get(module.id)
                if quiz is not None:
                    number = 1
                    if rng.random() < 0.25:  # a failed first try
                        attempts.append(_attempt(quiz, user_id, number, when - timedelta(hours=2),
                                                 rng.uniform(0.2, 0.65)))
                        number += 1
                    attempts.append(_attempt(quiz, user_id, number, when, rng.uniform(0.7, 1.0)))
                    completions.append({"user_id": user_id, "module_id": module.id, "completed_at": when,
                                        "via": "quiz"})
                else:
                    completions.append({"user_id": user_id, "module_id": module.id, "completed_at": when,
                                        "via": "manual"})
            if reach < len(live) and reach and rng.random() < 0.3:  # stuck on a quiz
                quiz = quizzes.get(live[reach].id)
                if quiz is not None:
                    attempts.append(_attempt(quiz, user_id, 1, when + timedelta(days=1), rng.uniform(0.1, 0.6)))
            final = quizzes.get(("final", course.id))
            if final is not None and reach == len(live) and live:
                score = rng.uniform(0.55, 1.0)
                attempts.append(_attempt(final, user_id, 1, when + timedelta(days=rng.uniform(0.5, 3)), score))
    attempts = [a for a in attempts if a["submitted_at"] < now]
    _insert(Enrolment, enrolments, tick)
    _insert(ModuleCompletion, completions, tick)
    _insert(Attempt, attempts, tick)
    bookings = _past_bookings(user_ids, now, rng)
    completion.recompute([c.id for c in courses], now, user_ids=None)
    return {"enrolments": len(enrolments), "module completions": len(completions), "quiz attempts": len(attempts),
            "lab bookings": bookings}


def _attempt(quiz: Quiz, user_id: int, number: int, when: datetime, score: float) -> dict:
    return {"quiz_id": quiz.id, "user_id": user_id, "number": number, "state": "submitted", "layout": {},
            "started_at": when - timedelta(minutes=12), "submitted_at": when, "score": round(score, 4),
            "passed": round(score * 100, 6) >= quiz.pass_mark}


def _past_bookings(user_ids, now: datetime, rng: random.Random, share: float = 0.3, seats: int = 20) -> int:
    """About `share` of the learners attended (or missed) a past session of a lab; sessions are added as needed
    with the seat counter set to match."""
    labs = list(db.session.scalars(select(Lab).where(Lab.archived_at.is_(None)).order_by(Lab.id)))
    people = [u for u in user_ids if rng.random() < share]
    if not labs or not people:
        return 0
    sessions = []
    for index in range(0, len(people), seats):
        lab = labs[(index // seats) % len(labs)]
        starts = (now - timedelta(days=7 + (index // seats) % 70)).replace(hour=8, minute=0, second=0, microsecond=0)
        sessions.append({"lab_id": lab.id, "title": f"{lab.name}: demo day", "topic": "Demo day",
                         "starts_at": starts, "ends_at": starts + timedelta(hours=3), "capacity": seats,
                         "confirmed_count": min(seats, len(people) - index), "audience": "signed_in",
                         "allowed_organisation_ids": []})
    first_id = (db.session.scalar(select(func.max(LabSession.id))) or 0) + 1
    _insert(LabSession, sessions)
    ids = list(db.session.scalars(select(LabSession.id).where(LabSession.id >= first_id).order_by(LabSession.id)))
    rows = [{"session_id": ids[index // seats], "user_id": user_id,
             "status": NO_SHOW if rng.random() < 0.12 else ATTENDED} for index, user_id in enumerate(people)]
    _insert(Booking, rows)
    return len(rows)


def estimate_steps(count: int) -> int:
    """Rough number of rows the progress bar counts for `count` learners."""
    return count * 12

