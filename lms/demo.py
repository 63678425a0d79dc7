"""Demo data for local use: organisations and one account per role. Never run by a production upgrade."""
from sqlalchemy import select

from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation

DEMO_PASSWORD = "officina-demo-2026"

ORGANISATIONS = [
    ("Meccanica Emiliana S.r.l. (demo)", "company", "Bologna"),
    ("Fondazione ITS Meccatronica (demo)", "its", "Bologna"),
    ("Competence Lab Bologna (demo)", "competence_centre", "Bologna"),
]

# email, name, roles, organisation index, membership role, cohort
ACCOUNTS = [
    ("admin@officina.example", "Alessandra Admin", ["admin"], None, None, None),
    ("learner@officina.example", "Luca Bassi", ["learner"], 0, "member", None),
    ("manager@officina.example", "Marta Galli", ["company_manager", "learner"], 0, "manager", None),
    ("giulia.ferri@officina.example", "Giulia Ferri", ["trainer"], 2, "member", None),
    ("paolo.marchetti@officina.example", "Paolo Marchetti", ["trainer"], 2, "member", None),
    ("elena.ricci@officina.example", "Elena Ricci", ["trainer", "its_staff"], 1, "member", None),
    ("coordinator@officina.example", "Carlo Coordinatore", ["coordinator"], 2, "manager", None),
    ("its@officina.example", "Irene Santoro", ["its_staff"], 1, "manager", None),
]

def create_demo(learners: int = 12, tick=None) -> list[str]:
    """Create what is missing and return lines to print; an existing account is left as it is.

    The demo password is hashed once for every account. Learners, and their enrolments, progress, quiz
    attempts and lab bookings, are bulk-inserted by lms.progress.demo, so 10,000 learners take seconds;
    `tick(n)` is told as rows go in (the CLI's progress bar)."""
    from lms.auth.passwords import hash_password
    from lms.dbtypes import utcnow
    from lms.progress import demo as population

    orgs = []
    for name, kind, city in ORGANISATIONS:
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, city=city)
            db.session.add(org)
            db.session.flush()
        orgs.append(org)

    created = 0
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, roles, org_index, membership, in_cohort in ACCOUNTS:
        user = User.by_email(email)
        if user is None:
            user = accounts.create_user(email, name, roles=roles)
            user.password_hash = password_hash
            created += 1
            if org_index is not None:
                people.add_member(orgs[org_index], user, membership)
            if in_cohort is not None:
                people.add_to_cohort(in_cohort, user)
    new_learners = population.add_learners(learners, orgs[0], orgs[1], password_hash, tick=tick)
    created += len(new_learners)
    _demo_content_hooks()
    counts = population.add_progress(new_learners, utcnow(), tick=tick)
    db.session.commit()

    lines = [f"Demo data: {created} accounts added." if created else "Demo data already present: nothing added.",
             f"Demo accounts (password {DEMO_PASSWORD}):"]
    for email, _name, roles, *_rest in ACCOUNTS:
        lines.append(f"  {', '.join(roles):<28} {email}")
    lines.append(f"  {'learner (x' + str(learners) + ')':<28} learner01@officina.example ...")
    if counts:
        lines.append("Demo progress: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")
    return lines


def _demo_content_hooks():
    """Each feature's own demo data, after the accounts exist; each function is idempotent."""
    from lms.assessment.demo import demo_assessments
    from lms.courses.demo_data import demo_enrolments
    from lms.labs.demo import demo_sessions
    from lms.profiles.demo import demo_profiles

    for hook in (demo_profiles, demo_enrolments, demo_sessions, demo_assessments):
        hook()
