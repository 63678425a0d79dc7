"""The cross-organisation access matrix, generated from the app's URL map.

Every URL rule that names something (a variable in the rule) has one entry in ROUTES: how to build its URL for
an object owned by organisation A (the `alpha` fixture makes one of each), and what organisation B's people and
a visitor may get from it. Each rule is then requested with each of its methods as a learner, a trainer, a lab
coordinator, a company manager and an ITS foundation's staff member of organisation B, and anonymously:

- DENY (the default): 403 or 404 for the signed-in; for a visitor also a redirect to the sign-in page or a 401;
- MEMBERS: anyone signed in; a visitor is refused like DENY, or gets a page without the members-only data;
- the exceptions are the ALLOWED kinds below, each with its reason in the table;
- whatever the kind: never a 5xx, and never a page that shows A's private learner (their name or address).

A rule with a variable and no entry fails the test ("add this rule to the matrix"), and so does an entry whose
rule is gone, so a new route cannot slip through. After the run, A's objects are checked to be unchanged.
"""
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest

from lms.assessment import rounds
from lms.assessment.models import AssessmentShare
from lms.assessment.questionnaire import questionnaire
from lms.auth import accounts
from lms.courses.models import Course, Enrolment, Module, ModuleRevision
from lms.courses.uploads import save_image
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs import feeds
from lms.labs.models import CONFIRMED, Booking, Lab, LabSession
from lms.notify.models import OutboxMessage
from lms.orgs import people
from lms.orgs.models import Membership, Organisation
from lms.profiles import photos
from lms.profiles.rules import get_or_create_profile
from lms.progress.models import Certificate
from lms.quizzes import gift, store
from lms.quizzes.models import Attempt, Response
from tests.conftest import PASSWORD

# What a person of organisation B (or a visitor) may get from a rule ------------------------------------------

DENY = "deny"  # 403/404 (a visitor: also the sign-in redirect or 401)
PUBLIC = "public"  # anyone, visitors too: any answer but a 5xx
MEMBERS = "members"  # anyone signed in; a visitor is refused
OWN = "own"  # acts on the caller's own data only (A's objects are checked unchanged after the run)
SECRET = "secret"  # the URL's token is the credential: requested with a made-up token, which must not work


@dataclass(frozen=True)
class Route:
    url: object  # world -> path
    kind: str = DENY
    why: str = ""  # the reason, for every kind but DENY
    # Who in A gets the page (GET, < 400): proof that the URL names a real object, so a 404 above is a refusal
    # and not a typo. None where nobody can (a made-up token).
    owner: str | None = "admin"


def deny(url, owner="admin"):
    return Route(url, owner=owner)


def allowed(kind, why, url, owner="admin"):
    return Route(url, kind, why, owner)


BOGUS_TOKEN = "not-a-real-token-0123456789abcdef"


def secret(why, template):
    """A URL whose token is the credential, requested with a made-up token (nobody's: no control)."""
    return Route(lambda w: template.format(token=BOGUS_TOKEN), SECRET, why, owner=None)

ROUTES = {
    # Administration: admins only.
    "orgs.detail": deny(lambda w: f"/admin/organisations/{w.company.id}"),
    "orgs.add_cohort": deny(lambda w: f"/admin/organisations/{w.its.id}/cohorts"),
    "orgs.cohort": deny(lambda w: f"/admin/organisations/{w.its.id}/cohorts/{w.cohort.id}"),
    "orgs.edit": deny(lambda w: f"/admin/organisations/{w.company.id}/edit"),
    "orgs.enrol_commit": deny(lambda w: f"/admin/organisations/{w.company.id}/enrol/commit"),
    "orgs.enrol_upload": deny(lambda w: f"/admin/organisations/{w.company.id}/enrol/preview"),
    "orgs.enrol_upload_page": deny(lambda w: f"/admin/organisations/{w.company.id}/enrol/preview"),
    "orgs.enrol_preview": deny(lambda w: f"/admin/organisations/{w.company.id}/enrol/preview/abcdef0123456789"),
    "orgs.remove_member": deny(lambda w: f"/admin/organisations/{w.company.id}/members/{w.membership.id}/remove"),
    "orgs.set_member_role": deny(lambda w: f"/admin/organisations/{w.company.id}/members/{w.membership.id}/role"),
    "outbox_admin.retry": deny(lambda w: f"/admin/outbox/{w.message.id}/retry"),
    "users_admin.edit": deny(lambda w: f"/admin/users/{w.learner.id}"),
    "users_admin.resend_invitation": deny(lambda w: f"/admin/users/{w.learner.id}/resend-invitation"),
    # API v1.
    "api.cancel": deny(lambda w: f"/api/v1/bookings/{w.booking.id}"),
    "api.course": deny(lambda w: f"/api/v1/courses/{w.course.slug}"),
    "api.enrol": deny(lambda w: f"/api/v1/courses/{w.course.slug}/enrolment"),
    "api.lab_session": allowed(MEMBERS, "lab sessions are public; their bookings are shown only to who manages "
                               "the session (the A learner's name must not appear)",
                               lambda w: f"/api/v1/lab-sessions/{w.session.id}"),
    "api.update_lab_session": deny(lambda w: f"/api/v1/lab-sessions/{w.session.id}"),
    "api.book": allowed(OWN, "anyone signed in books their own seat in a public session; booking for someone "
                        "else is refused alike for every stranger (tests/labs/test_book_for_someone.py)",
                        lambda w: f"/api/v1/lab-sessions/{w.session.id}/bookings"),
    "api.organisation_assessments": deny(lambda w: f"/api/v1/organisations/{w.company.id}/assessments"),
    "api.organisation_progress": deny(lambda w: f"/api/v1/organisations/{w.company.id}/progress"),
    "api.organisation_statements": deny(lambda w: f"/api/v1/organisations/{w.company.id}/statements"),
    # The digital-maturity assessment of company A.
    "assessment.overview": deny(lambda w: f"/assessment/{w.assessment.id}"),
    "assessment.answer": deny(lambda w: f"/assessment/{w.assessment.id}/answer"),
    "assessment.save": deny(lambda w: f"/assessment/{w.assessment.id}/answers"),
    "assessment.invite": deny(lambda w: f"/assessment/{w.assessment.id}/invite"),
    "assessment.start_path": deny(lambda w: f"/assessment/{w.assessment.id}/path"),
    "assessment.report_pdf": deny(lambda w: f"/assessment/{w.assessment.id}/report.pdf"),
    "assessment.result": deny(lambda w: f"/assessment/{w.assessment.id}/result"),
    "assessment.revise": deny(lambda w: f"/assessment/{w.assessment.id}/revise"),
    "assessment.share_answers": deny(lambda w: f"/assessment/{w.assessment.id}/share-answers"),
    "assessment.submit": deny(lambda w: f"/assessment/{w.assessment.id}/submit"),
    "assessment.centre": deny(lambda w: f"/assessment/centres/{w.centre.id}"),
    "assessment.export_csv": deny(lambda w: f"/assessment/centres/{w.centre.id}/export.csv"),
    "assessment.export_xlsx": deny(lambda w: f"/assessment/centres/{w.centre.id}/export.xlsx"),
    "assessment.company": deny(lambda w: f"/assessment/companies/{w.company.id}"),
    "assessment.repeat": deny(lambda w: f"/assessment/companies/{w.company.id}/repeat"),
    "assessment.share": deny(lambda w: f"/assessment/companies/{w.company.id}/share"),
    "assessment.unshare": deny(lambda w: f"/assessment/companies/{w.company.id}/shares/{w.share.id}/delete"),
    "assessment.start": deny(lambda w: f"/assessment/companies/{w.company.id}/start"),
    # Authoring A's trainer's (draft) course.
    "courses.course_edit": deny(lambda w: f"/authoring/{w.course.slug}/"),
    "courses.export": deny(lambda w: f"/authoring/{w.course.slug}/export.zip"),
    "courses.image_upload": deny(lambda w: f"/authoring/{w.course.slug}/images"),
    "courses.module_edit": deny(lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/edit"),
    "courses.module_publish": deny(lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/publish"),
    "courses.revisions_list": deny(lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/revisions"),
    "courses.revision_diff": deny(lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/revisions/1"),
    "courses.revision_restore": deny(
        lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/revisions/1/restore"),
    "courses.module_unpublish": deny(lambda w: f"/authoring/{w.course.slug}/modules/{w.module.slug}/unpublish"),
    "courses.module_create": deny(lambda w: f"/authoring/{w.course.slug}/modules/new"),
    "courses.preview": deny(lambda w: f"/authoring/{w.course.slug}/preview"),
    "courses.course_publish": deny(lambda w: f"/authoring/{w.course.slug}/publish"),
    "courses.reorder": deny(lambda w: f"/authoring/{w.course.slug}/reorder"),
    "courses.course_settings": deny(lambda w: f"/authoring/{w.course.slug}/settings"),
    "courses.course_unpublish": deny(lambda w: f"/authoring/{w.course.slug}/unpublish"),
    "quiz_authoring.course_quizzes": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/"),
    "quiz_authoring.quiz": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/"),
    "quiz_authoring.export_quiz": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/export.gift"),
    "quiz_authoring.import_gift": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/import"),
    "quiz_authoring.import_preview": deny(  # a made-up upload: its author is sent back to upload again
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/import/abcdef0123456789", owner="trainer"),
    "quiz_authoring.import_confirm": deny(
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/import/confirm"),
    "quiz_authoring.preview_quiz": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/preview"),
    "quiz_authoring.question_archive": deny(
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/questions/{w.question.id}/archive"),
    "quiz_authoring.question_edit": deny(
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/questions/{w.question.id}/edit"),
    "quiz_authoring.question_move": deny(
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/questions/{w.question.id}/move"),
    "quiz_authoring.question_new": deny(
        lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/questions/new/truefalse"),
    "quiz_authoring.quiz_settings": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/settings"),
    "quiz_authoring.quiz_stats": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/{w.quiz.id}/stats"),
    "quiz_authoring.create_quiz": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/create"),
    "quiz_authoring.export_course": deny(lambda w: f"/authoring/quizzes/{w.course.slug}/export.gift"),
    "quiz_authoring.grade_essay": deny(lambda w: f"/authoring/quizzes/essays/{w.essay.id}/grade"),
    # Reading the draft course (a published course's pages are public by design: the catalogue).
    "courses.course": deny(lambda w: f"/courses/{w.course.slug}"),
    "courses.module": deny(lambda w: f"/courses/{w.course.slug}/{w.module.slug}"),
    "courses.complete": deny(lambda w: f"/courses/{w.course.slug}/{w.module.slug}/complete"),
    "quizzes.module_quiz": deny(lambda w: f"/courses/{w.course.slug}/{w.module.slug}/quiz"),
    "quizzes.start_module_quiz": deny(lambda w: f"/courses/{w.course.slug}/{w.module.slug}/quiz/start"),
    "courses.enrol": deny(lambda w: f"/courses/{w.course.slug}/enrol"),
    "courses.enrol_staff": deny(lambda w: f"/courses/{w.course.slug}/enrol-staff"),
    "courses.media": deny(lambda w: f"/courses/{w.course.slug}/files/{w.image}"),
    "quizzes.final_quiz": deny(lambda w: f"/courses/{w.course.slug}/final-quiz"),
    "quizzes.start_final_quiz": deny(lambda w: f"/courses/{w.course.slug}/final-quiz/start"),
    # Sign-in links.
    "auth.accept_invitation": secret("the invitation token is the credential", "/invitation/{token}"),
    "auth.reset_password": secret("the reset token is the credential", "/password/reset/{token}"),
    "auth.revoke_token": deny(lambda w: f"/settings/tokens/{w.api_token.id}/revoke"),
    # Labs: labs and sessions are public (the calendar); bookings, attendance and coordination are not.
    "labs.lab": allowed(PUBLIC, "a lab's page is public (the demo-lab catalogue)", lambda w: f"/labs/{w.lab.slug}"),
    "labs.media": allowed(PUBLIC, "a lab's diagram, shown on its public page",
                          lambda w: "/labs/files/media/cobot-cell.svg"),
    "labs.session": allowed(PUBLIC, "a session's page is public; its booking list only for who manages it",
                            lambda w: f"/labs/sessions/{w.session.id}"),
    "labs.book": allowed(OWN, "anyone signed in books their own seat; for others, see test_book_for_someone.py",
                         lambda w: f"/labs/sessions/{w.session.id}/book"),
    "labs.booking_ics": deny(lambda w: f"/labs/bookings/{w.booking.id}.ics"),
    "labs.attendance": deny(lambda w: f"/labs/bookings/{w.booking.id}/attendance"),
    "labs.cancel": deny(lambda w: f"/labs/bookings/{w.booking.id}/cancel"),
    "labs.feed": secret("the calendar feed's token is the credential (calendar apps cannot sign in)",
                        "/labs/feed/{token}.ics"),
    "labs.lab_feed": secret("as labs.feed, for one lab", "/labs/feed/{token}/labs/alpha-lab.ics"),
    "labs.bookings_csv": deny(lambda w: f"/labs/sessions/{w.session.id}/bookings.csv"),
    "labs.cancel_session": deny(lambda w: f"/labs/sessions/{w.session.id}/cancel"),
    "labs.edit_session": deny(lambda w: f"/labs/sessions/{w.session.id}/edit"),
    "labs.sign_in_sheet": deny(lambda w: f"/labs/sessions/{w.session.id}/sign-in-sheet"),
    # Profiles: members-only by default (the trainer chose no public profile); edited only by their owner.
    "profiles.profile": allowed(MEMBERS, "a profile with visibility signed_in is for anyone signed in",
                                lambda w: f"/people/{w.profile.slug}"),
    "profiles.photo": allowed(MEMBERS, "the photo follows the profile's visibility",
                              lambda w: f"/people/{w.profile.slug}/photo"),
    "profiles.by_email": allowed(PUBLIC, "course pages link trainers by address; it only redirects to the "
                                 "profile, which then applies its visibility",
                                 lambda w: f"/people/by-email/{w.trainer.email}"),
    "profiles.edit": deny(lambda w: f"/people/{w.profile.slug}/edit"),
    # Progress, certificates and reports.
    "progress.certificate": deny(lambda w: f"/progress/certificates/{w.certificate.id}.pdf"),
    "progress.course": deny(lambda w: f"/progress/courses/{w.course.slug}"),
    "progress.course_export": deny(lambda w: f"/progress/courses/{w.course.slug}/gradebook.csv"),
    "progress.course_learner": deny(lambda w: f"/progress/courses/{w.course.slug}/learners/{w.learner.id}"),
    "progress.organisation": deny(lambda w: f"/progress/organisations/{w.company.id}"),
    "progress.organisation_export": deny(lambda w: f"/progress/organisations/{w.company.id}/export.xlsx"),
    "progress.organisation_learner": deny(
        lambda w: f"/progress/organisations/{w.company.id}/learners/{w.learner.id}"),
    # A's learner's quiz attempt.
    "quizzes.take": deny(lambda w: f"/quiz/attempts/{w.attempt.id}", owner="learner"),
    "quizzes.save": deny(lambda w: f"/quiz/attempts/{w.attempt.id}/answers", owner="learner"),
    "quizzes.result": deny(lambda w: f"/quiz/attempts/{w.attempt.id}/result", owner="learner"),
    "quizzes.submit": deny(lambda w: f"/quiz/attempts/{w.attempt.id}/submit", owner="learner"),
    # The app's own files.
    "static": allowed(PUBLIC, "the app's CSS, JS and images", lambda w: "/static/favicon.svg"),
    "bootstrap.static": allowed(PUBLIC, "Bootstrap's files, served by the app",
                                lambda w: "/bootstrap/static/css/bootstrap.min.css"),
}

B_ROLES = ("learner_b", "trainer_b", "coordinator_b", "manager_b", "its_b")


def rules_naming_objects(app):
    """{endpoint: rule} for every URL rule with a variable: the rules the matrix must cover."""
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if rule.arguments}


def uncovered(app) -> list[str]:
    rules = rules_naming_objects(app)
    return sorted(f"{endpoint} {rules[endpoint].rule}" for endpoint in set(rules) - set(ROUTES))


def test_every_rule_that_names_an_object_is_in_the_matrix(app):
    rules = rules_naming_objects(app)
    missing = uncovered(app)
    assert not missing, f"add this rule to the matrix in tests/test_access_matrix.py ROUTES: {missing}"
    stale = sorted(set(ROUTES) - set(rules))
    assert not stale, f"these matrix entries name no rule any more: {stale}"
    for endpoint, route in ROUTES.items():
        assert route.kind == DENY or route.why, f"{endpoint}: every exception needs its reason"


def test_a_new_rule_without_an_entry_is_caught(app_factory):
    app = app_factory()

    @app.get("/widgets/<int:widget_id>")
    def widget(widget_id):  # a route someone adds later
        return "a widget"

    assert uncovered(app) == ["widget /widgets/<int:widget_id>"]


# Organisation A's objects ---------------------------------------------------------------------------------

def _person(email, name, roles, organisation=None, membership="member"):
    user = accounts.create_user(email, name, roles=list(roles), password=PASSWORD)
    if organisation is not None:
        people.add_member(organisation, user, membership)
    return user


SECRET_NAME = "Zelinda Riservata"  # A's learner: their name or address must never reach B
SECRET_EMAIL = "zelinda.riservata@alpha.example"
MEMBERS_ONLY = "Cobot integrator, for members' eyes"


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 20)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def alpha(app):
    """One of each object, owned by organisation A (a company, its ITS foundation and competence centre)."""
    now = utcnow()
    w = SimpleNamespace()
    w.company = Organisation(name="Alpha Meccanica", kind="company")
    w.its = Organisation(name="ITS Alpha", kind="its")
    w.centre = Organisation(name="Alpha Competence Centre", kind="competence_centre")
    db.session.add_all([w.company, w.its, w.centre])
    db.session.flush()
    w.manager = _person("manager@alpha.example", "Amos Manager", ("company_manager", "learner"), w.company, "manager")
    w.learner = _person(SECRET_EMAIL, SECRET_NAME, ("learner",), w.company)
    people.add_member(w.its, w.learner, "member")
    w.its_staff = _person("its@alpha.example", "Ada ITS", ("its_staff",), w.its, "manager")
    people.add_member(w.centre, w.its_staff, "manager")
    w.trainer = _person("trainer@alpha.example", "Tito Trainer", ("trainer",), w.company)
    w.coordinator = _person("coord@alpha.example", "Cora Coord", ("coordinator",), w.company)
    w.admin = _person("admin@alpha.example", "Adamo Admin", ("admin",))
    w.membership = db.session.scalar(db.select(Membership).where(Membership.user_id == w.learner.id,
                                                                 Membership.organisation_id == w.company.id))
    w.cohort = people.get_or_create_cohort(w.its, "Alpha 2026")
    people.add_to_cohort(w.cohort, w.learner)

    # A draft course of A's trainer, with a module, its quiz, an attempt and an essay answer by A's learner.
    w.course = Course(slug="alpha-draft", title="Alpha draft", summary="", description="", language="en",
                      audience=["manager"], trainer_emails=[w.trainer.email], prerequisites=[], is_published=False)
    db.session.add(w.course)
    w.module = Module(course=w.course, slug="m1", position=1, title="Module 1", minutes=10, body="Text.",
                      summary="", is_published=True)
    db.session.add(w.module)
    db.session.flush()
    w.quiz = store.get_or_create_quiz(w.course, w.module)
    store.replace_questions(w.quiz, gift.parse("::Q1::Why?{}\n\n::Q2::Is it?{T}\n"), now, from_browser=False)
    store.replace_questions(store.get_or_create_quiz(w.course, None), gift.parse("::F::Is it?{T}\n"), now,
                            from_browser=False)
    db.session.add(Enrolment(user_id=w.learner.id, course_id=w.course.id, enrolled_at=now))
    w.attempt = Attempt(quiz_id=w.quiz.id, user_id=w.learner.id, number=1, state="in_progress",
                        started_at=now - timedelta(minutes=5))
    db.session.add(w.attempt)
    db.session.flush()
    w.question = w.quiz.questions[0]
    w.essay = Response(attempt_id=w.attempt.id, question_id=w.question.id, answer="My essay", needs_manual=True)
    db.session.add(ModuleRevision(module_id=w.module.id, number=1, title="Module 1", minutes=10, body="Text.",
                                  source="browser", author_id=w.trainer.id))
    upload_dir = app.config["UPLOAD_DIR"]
    w.image = save_image(upload_dir, w.course.slug, "diagram.png", PNG, 1 << 20)
    w.certificate = Certificate(user_id=w.learner.id, course_id=w.course.id, code="ALPHA0001",
                                learner_name=SECRET_NAME, course_title="Alpha draft", completed_at=now)
    db.session.add_all([w.essay, w.certificate])

    # A's lab, a session its coordinator runs and A's learner's booking; their calendar feed and API token.
    w.lab = Lab(slug="alpha-lab", name="Alpha lab", venue="Venue", address="Via Roma 1, Bologna",
                coordinator_email=w.coordinator.email)
    db.session.add(w.lab)
    w.session = LabSession(lab=w.lab, title="Alpha session", starts_at=now + timedelta(days=7),
                           ends_at=now + timedelta(days=7, hours=2), capacity=5, created_by_id=w.coordinator.id,
                           confirmed_count=1)
    db.session.add(w.session)
    db.session.flush()
    w.booking = Booking(session_id=w.session.id, user_id=w.learner.id, status=CONFIRMED)
    db.session.add(w.booking)
    feeds.issue_feed_token(w.learner)
    w.api_token, _clear = accounts.create_api_token(w.learner, "alpha")
    w.message = OutboxMessage(key="alpha:1", kind="mail", recipient=SECRET_EMAIL, subject="For Zelinda", raw="x",
                              user_id=w.learner.id)
    db.session.add(w.message)

    # The company's assessment, shared with A's centre.
    rounds.set_profile(w.company, "small", "machinery")
    w.assessment = rounds.start(w.company, w.manager, mode="individual", area="owner", now=now,
                                qversion=questionnaire().version)
    w.share = AssessmentShare(company_id=w.company.id, centre_id=w.centre.id, show_name=True)
    db.session.add(w.share)
    db.session.flush()
    w.profile = get_or_create_profile(w.trainer, now)
    w.profile.photo = photos.store(photos.process(PNG, 1 << 20), upload_dir)
    w.profile.headline = MEMBERS_ONLY  # the profile is "signed_in" (the default): a visitor must not read this
    db.session.commit()
    return w


@pytest.fixture
def beta(app):
    """Organisation B's people, one per role, each with a role in a company or a foundation of their own."""
    company = Organisation(name="Beta Plast", kind="company")
    its = Organisation(name="ITS Beta", kind="its")
    db.session.add_all([company, its])
    db.session.flush()
    made = {
        "learner_b": _person("learner@beta.example", "Bea Learner", ("learner",), company),
        "trainer_b": _person("trainer@beta.example", "Bert Trainer", ("trainer",), its),
        "coordinator_b": _person("coord@beta.example", "Bice Coord", ("coordinator",), its),
        "manager_b": _person("manager@beta.example", "Bruno Manager", ("company_manager", "learner"), company,
                             "manager"),
        "its_b": _person("its@beta.example", "Berta ITS", ("its_staff",), its, "manager"),
    }
    db.session.commit()
    return made


def fingerprint(w) -> dict:
    """What B must not be able to change among A's objects."""
    db.session.expire_all()
    return {
        "booking": (w.booking.status, w.booking.cancelled_at),
        "session": (w.session.cancelled_at, w.session.capacity, w.session.title, w.session.starts_at),
        "course": (w.course.is_published, w.course.title, w.module.is_published, w.module.body, w.module.title),
        "quiz": sorted((q.id, q.archived_at is None, q.position) for q in w.quiz.questions),
        "attempt": (w.attempt.state, w.attempt.score),
        "essay": (w.essay.fraction, w.essay.grader_comment),
        "assessment": (w.assessment.id, len(w.assessment.responses)),
        "shares": db.session.scalar(db.select(db.func.count(AssessmentShare.id))),
        "membership": (w.membership.role, db.session.get(Membership, w.membership.id) is not None),
        "cohort": sorted(m.user_id for m in w.cohort.members),
        "token": w.api_token.revoked_at,
        "message": (w.message.status, w.message.attempts),
        "learner": (w.learner.name, w.learner.email, w.learner.is_active, sorted(w.learner.roles)),
        "profile": (w.profile.headline, w.profile.bio, w.profile.visibility),
        "organisation": (w.company.name, w.company.city),
    }


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _request(client, method, path, headers):
    if path.startswith("/api/"):
        return client.open(path, method=method, json={}, headers=headers)
    return client.open(path, method=method, data={}, headers=headers)


def _judge(route, who, method, path, response) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status} (a server error)"
    body = response.get_data().decode("utf-8", "replace")
    if route.kind != SECRET and (SECRET_NAME in body or SECRET_EMAIL in body):
        return f"{status} showing A's learner ({SECRET_NAME})"
    anonymous = who == "anonymous"
    refused = status in (403, 404) or (anonymous and (status == 401 or (
        status in (301, 302, 303) and "/login" in response.headers.get("Location", ""))))
    if route.kind == DENY and not refused:
        return f"{status}, expected 403/404" + (" or the sign-in page" if anonymous else "")
    if route.kind == MEMBERS and anonymous and not refused and (status != 200 or MEMBERS_ONLY in body):
        return f"{status} for a visitor, expected the sign-in page, 401 or 404 (or a page saying to sign in)"
    if route.kind == SECRET and status == 200 and SECRET_NAME in body:
        return "a made-up token opened A's learner's data"
    return None


def test_organisation_b_and_visitors_cannot_reach_organisation_a_objects(app, alpha, beta):
    rules = rules_naming_objects(app)
    assert set(rules) <= set(ROUTES), "see test_every_rule_that_names_an_object_is_in_the_matrix"
    before = fingerprint(alpha)
    callers = {"anonymous": (app.test_client(), {})}
    for key, user in beta.items():
        client = app.test_client()
        signed_in = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert signed_in.status_code == 302, key
        _row, clear = accounts.create_api_token(user, "matrix")
        callers[key] = (client, {"Authorization": f"Bearer {clear}"})
    db.session.commit()

    problems, requests = [], 0
    for endpoint, rule in sorted(rules.items()):
        route = ROUTES[endpoint]
        path = route.url(alpha)
        for method in _methods(rule):
            for who, (client, headers) in callers.items():
                response = _request(client, method, path, headers)
                requests += 1
                wrong = _judge(route, who, method, path, response)
                if wrong:
                    problems.append(f"{who:<13} {method:<6} {path} ({endpoint}): {wrong}")
    assert not problems, "organisation B reached organisation A:\n" + "\n".join(problems)
    assert requests > 6 * len(rules)
    assert fingerprint(alpha) == before, "organisation B changed one of organisation A's objects"



def owner_clients(app, w) -> dict:
    """{owner key: (a client signed in as that person of A, API headers with their token)}."""
    clients = {}
    for key in {route.owner for route in ROUTES.values() if route.owner}:
        client = app.test_client()
        assert client.post("/login", data={"email": getattr(w, key).email, "password": PASSWORD}).status_code == 302
        _row, clear = accounts.create_api_token(getattr(w, key), "control")
        clients[key] = (client, {"Authorization": f"Bearer {clear}"})
    db.session.commit()
    return clients


def test_the_matrix_urls_name_real_objects(app, alpha):
    """The control: someone of A (an admin, or the object's owner) gets each GET page, so the 403/404s that
    B gets above are refusals, not URLs that match nothing."""
    clients = owner_clients(app, alpha)
    failed = []
    for endpoint, rule in sorted(rules_naming_objects(app).items()):
        route = ROUTES[endpoint]
        if route.owner is None or "GET" not in rule.methods:
            continue
        client, headers = clients[route.owner]
        response = client.get(route.url(alpha), headers=headers)
        if response.status_code >= 400:
            failed.append(f"{endpoint} as {route.owner}: {response.status_code}")
    assert not failed, failed
