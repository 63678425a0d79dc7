"""Fixtures for the assessment: two companies, a centre, one person per role, and helpers to answer."""

import pytest

from lms.assessment import rounds
from lms.assessment.questionnaire import questionnaire
from lms.auth import accounts
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation
from tests.conftest import PASSWORD
from tests.support import NOW


class World:
    """Company A (the one under test) and company B (another company), an ITS foundation, and people."""

    def __init__(self):
        self.a = Organisation(name="Alfa Meccanica", kind="company", city="Modena")
        self.b = Organisation(name="Beta Plast", kind="company", city="Parma")
        self.its = Organisation(name="ITS Maker", kind="its", city="Bologna")
        self.cc = Organisation(name="Competence Centre Nord", kind="competence_centre", city="Milano")
        db.session.add_all([self.a, self.b, self.its, self.cc])
        db.session.flush()
        self.manager = self.person("manager@alfa.example", "Marta Manager", ("company_manager", "learner"), self.a,
                                   "manager")
        self.production = self.person("prod@alfa.example", "Piero Produzione", ("learner",), self.a)
        self.it_person = self.person("it@alfa.example", "Ivana IT", ("learner",), self.a)
        self.manager_b = self.person("manager@beta.example", "Bruno Beta", ("company_manager", "learner"), self.b,
                                     "manager")
        self.colleague_b = self.person("staff@beta.example", "Sara Beta", ("learner",), self.b)
        self.its_staff = self.person("staff@its.example", "Irene ITS", ("its_staff",), self.its)
        self.cc_staff = self.person("staff@cc.example", "Carlo Centre", ("its_staff",), self.cc)
        self.learner = self.person("learner@example.com", "Lea Learner", ("learner",))
        self.trainer = self.person("trainer@example.com", "Tina Trainer", ("trainer",))
        self.coordinator = self.person("coord@example.com", "Cora Coordinator", ("coordinator",))
        self.admin = self.person("admin@example.com", "Ada Admin", ("admin",))
        db.session.commit()

    def person(self, email, name, roles, organisation=None, membership="member"):
        user = accounts.create_user(email, name, roles=list(roles), password=PASSWORD)
        if organisation is not None:
            people.add_member(organisation, user, membership)
        return user

    def start(self, company=None, by=None, mode="individual", size="small", sector="machinery", now=NOW):
        company = company or self.a
        by = by or (self.manager if company is self.a else self.manager_b)
        rounds.set_profile(company, size, sector)
        return rounds.start(company, by, mode=mode, area="owner", now=now, qversion=questionnaire().version)


def answers(level=None, **overrides):
    """Every question answered with `level` (or a level that varies by question), then `overrides`."""
    result = {}
    for index, question in enumerate(questionnaire().questions):
        result[question.slug] = level if level is not None else index % 6
    result.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return result


def submit(response, answers_, now=NOW):
    rounds.save_answers(response, answers_, questionnaire(), now)
    rounds.submit(response, now)


@pytest.fixture
def world(app):
    return World()


@pytest.fixture
def synced(app, runner):
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output
    return app
