"""Demo assessments: firms of different maturity, so that the charts, the team spread, the benchmark (at least five
similar firms) and the ITS foundation's distribution show something real. Idempotent; only `lms demo` runs it.

The demo company of the demo manager (Meccanica Emiliana) answered seven months ago, so its manager sees a
result at once and can repeat the assessment to see the change.
"""
import random
from datetime import timedelta

from sqlalchemy import select

from lms.assessment import rounds, sharing
from lms.assessment.models import AssessmentResponse
from lms.assessment.questionnaire import questionnaire
from lms.auth import accounts
from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation

DEMO_COMPANY = "Meccanica Emiliana S.r.l. (demo)"
DEMO_ITS = "Fondazione ITS Meccatronica (demo)"

# name, city, size, sector, base level per dimension (strategy, people, processes, technologies, data,
# supply chain), shares with the demo ITS (None: no; False: anonymously; True: with its name)
FIRMS = [
    ("Officine Bertoni (demo)", "Reggio Emilia", "small", "machinery", (3, 2, 3, 4, 3, 2), True),
    ("Carpenteria Valli (demo)", "Modena", "small", "machinery", (1, 1, 2, 2, 1, 1), False),
    ("Idraulica Po (demo)", "Piacenza", "small", "machinery", (2, 3, 2, 3, 2, 3), False),
    ("Automazioni Santerno (demo)", "Imola", "small", "machinery", (4, 3, 4, 4, 4, 3), True),
    ("Trafile Appennino (demo)", "Sassuolo", "small", "machinery", (2, 1, 3, 3, 2, 1), None),
    ("Stampi Lughesi (demo)", "Lugo", "small", "machinery", (1, 2, 2, 1, 1, 2), False),
    ("Pastificio Gardini (demo)", "Parma", "medium", "food", (3, 3, 4, 3, 3, 4), True),
    ("Maglificio Carpi (demo)", "Carpi", "micro", "fashion", (1, 1, 1, 0, 1, 2), False),
]
DEMO_COMPANY_LEVELS = (2, 2, 1, 3, 1, 2)
AREAS = ("owner", "production", "it")


def _answers(levels, rng: random.Random) -> dict:
    """Answers around each dimension's base level, with some "don't know" (as a real team gives)."""
    result = {}
    for dimension, base in zip(questionnaire().dimensions, levels, strict=True):
        for question in dimension.questions:
            if rng.random() < 0.08:
                result[question.slug] = "dk"
            else:
                result[question.slug] = max(0, min(5, base + rng.choice((-1, 0, 0, 1))))
    return result


def _person(email, name, organisation, membership="member", roles=("learner",)):
    user = User.by_email(email)
    if user is None:
        user = accounts.create_user(email, name, roles=list(roles))  # no password: demo colleagues do not sign in
    people.add_member(organisation, user, membership)
    return user


def _assess(company, respondents, levels, size, sector, when, rng):
    admin_like = respondents[0]
    rounds.set_profile(company, size, sector)
    assessment = rounds.start(company, admin_like, mode="team" if len(respondents) > 1 else "individual",
                              area="owner", now=when, qversion=questionnaire().version)
    for index, person in enumerate(respondents):
        response = assessment.response_of(person)
        if response is None:
            response = AssessmentResponse(user=person, area=AREAS[index % len(AREAS)], invited_by=admin_like,
                                          created_at=when, updated_at=when)
            assessment.responses.append(response)
        # Each person sees the firm a little differently: production is harsher on data, say.
        shifted = tuple(max(0, min(5, level + rng.choice((-1, 0, 0, 1)))) for level in levels)
        response.answers = _answers(shifted, rng)
        response.updated_at = response.submitted_at = when + timedelta(hours=index + 1)
    db.session.flush()
    return assessment


def demo_assessments() -> None:
    now = utcnow()
    its = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ITS))
    for position, (name, city, size, sector, levels, shares) in enumerate(FIRMS):
        if db.session.scalar(select(Organisation).where(Organisation.name == name)) is not None:
            continue
        company = Organisation(name=name, kind="company", city=city)
        db.session.add(company)
        db.session.flush()
        rng = random.Random(name)
        slug = name.split()[0].lower()
        manager = _person(f"{slug}.manager@officina.example", f"{name.split()[1]} Manager", company, "manager",
                          ("company_manager", "learner"))
        team = [manager] + [_person(f"{slug}.{area}@officina.example", f"{name.split()[1]} {area.title()}", company)
                            for area in AREAS[1:1 + position % 3]]
        _assess(company, team, levels, size, sector, now - timedelta(days=20 + 9 * position), rng)
        if shares is not None and its is not None:
            sharing.share(company, its, by=manager, show_name=shares, now=now)

    company = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_COMPANY))
    manager = User.by_email("manager@officina.example")
    if company is not None and manager is not None and rounds.current_of(company) is None:
        _assess(company, [manager], DEMO_COMPANY_LEVELS, "small", "machinery", now - timedelta(days=210),
                random.Random(DEMO_COMPANY))
        if its is not None:
            sharing.share(company, its, by=manager, show_name=True, now=now)
    db.session.flush()
