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

FIRST = ["Anna", "Marco", "Sara", "Davide", "Chiara", "Matteo", "Elisa", "Andrea", "Francesca", "Simone",
         "Valentina", "Stefano", "Laura", "Riccardo", "Martina", "Federico"]
LAST = ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti",
        "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi"]


def create_demo(learners: int = 12) -> list[str]:
    """Create what is missing and return lines to print; an existing account is left as it is."""
    orgs = []
    for name, kind, city in ORGANISATIONS:
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, city=city)
            db.session.add(org)
            db.session.flush()
        orgs.append(org)
    cohort = people.get_or_create_cohort(orgs[1], "Mechatronics 2026-2028")

    created = 0
    rows = list(ACCOUNTS)
    for i in range(learners):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        org_index = 0 if i % 2 == 0 else 1
        rows.append((f"learner{i + 1:02d}@officina.example", f"{first} {last}", ["learner"], org_index, "member",
                     cohort if org_index == 1 else None))
    for email, name, roles, org_index, membership, in_cohort in rows:
        user = User.by_email(email)
        if user is None:
            user = accounts.create_user(email, name, roles=roles, password=DEMO_PASSWORD)
            created += 1
            if org_index is not None:
                people.add_member(orgs[org_index], user, membership)
            if in_cohort is not None:
                people.add_to_cohort(in_cohort, user)
    _demo_content_hooks()
    db.session.commit()

    lines = [f"Demo data: {created} accounts added." if created else "Demo data already present: nothing added.",
             f"Demo accounts (password {DEMO_PASSWORD}):"]
    for email, _name, roles, *_rest in ACCOUNTS:
        lines.append(f"  {', '.join(roles):<28} {email}")
    lines.append(f"  {'learner (x' + str(learners) + ')':<28} learner01@officina.example ...")
    return lines


def _demo_content_hooks():
    """Each feature's own demo data, after the accounts exist; each function is idempotent."""
    from lms.assessment.demo import demo_assessments
    from lms.courses.demo_data import demo_enrolments
    from lms.labs.demo import demo_sessions
    from lms.profiles.demo import demo_profiles

    for hook in (demo_profiles, demo_enrolments, demo_sessions, demo_assessments):
        hook()
