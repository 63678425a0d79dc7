"""The pages over HTTP: start, answer with autosave, submit, result, PDF, revise, invite; hostile input."""
import json
from datetime import timedelta

from lms.assessment import rounds
from lms.assessment.models import Assessment, AssessmentResponse
from lms.assessment.questionnaire import questionnaire
from lms.extensions import db
from tests.assessment.conftest import NOW, answers, submit
from tests.conftest import outbox


def _start(client, login):
    login("manager@alfa.example")
    response = client.post("/assessment/companies/1/start", data={"size": "small", "sector": "machinery",
                                                                  "mode": "team", "area": "owner"})
    assert response.status_code == 302
    return db.session.scalar(db.select(Assessment))


def test_a_manager_starts_answers_with_autosave_and_submits(world, client, login):
    page = (login("manager@alfa.example"), client.get("/assessment/companies/1"))[1]
    assert page.status_code == 200 and "Start the assessment" in page.text
    assessment = _start(client, login)
    page = client.get(f"/assessment/{assessment.id}/answer")
    assert page.status_code == 200
    assert page.text.count('type="radio"') == len(questionnaire().questions) * 7  # six levels and "don't know"
    assert "A 20-person machine shop" not in page.text and "A new PC for the office" in page.text
    saved = client.post(f"/assessment/{assessment.id}/answers", json={"answers": {"strategy-roadmap": 3}})
    assert saved.status_code == 200 and saved.json["answered"] == 1 and saved.json["total"] == 30
    # The form's own Save button (no script) saves too.
    client.post(f"/assessment/{assessment.id}/answers", data={"q-people-training": "dk"})
    db.session.expire_all()
    response = assessment.responses[0]
    assert response.answers == {"strategy-roadmap": 3, "people-training": "dk"}
    done = client.post(f"/assessment/{assessment.id}/submit", data={f"q-{slug}": value for slug, value in
                                                                   answers(4).items()})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/assessment/{assessment.id}/result")
    db.session.expire_all()
    assert response.is_submitted and response.answers["people-training"] == 4
    late = client.post(f"/assessment/{assessment.id}/answers", json={"answers": {"strategy-roadmap": 1}})
    assert late.status_code == 409 and "new version" in late.json["error"]["message"]
    result = client.get(f"/assessment/{assessment.id}/result")
    assert result.status_code == 200
    assert "Stage 4 of 5" in result.text and "Transparent" in result.text and 'data-chart="' in result.text
    assert "Not enough firms yet: 0 of the same size and sector as yours" in result.text
    pdf = client.get(f"/assessment/{assessment.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_the_result_page_is_in_italian_for_an_italian_reader(world, client, login):
    assessment = world.start()
    submit(assessment.responses[0], answers(1))
    world.manager.language = "it"
    db.session.commit()
    login("manager@alfa.example")
    page = client.get(f"/assessment/{assessment.id}/result")
    assert "Informatizzata" in page.text and "Strategia e organizzazione" in page.text


def test_revise_after_submission_makes_a_new_version(world, client, login):
    assessment = world.start()
    submit(assessment.responses[0], answers(2))
    db.session.commit()
    login("manager@alfa.example")
    response = client.post(f"/assessment/{assessment.id}/revise")
    new = db.session.scalar(db.select(Assessment).where(Assessment.version == 2))
    assert response.headers["Location"].endswith(f"/assessment/{new.id}/answer")
    assert client.get(f"/assessment/{assessment.id}").status_code == 200  # history stays readable
    old_save = client.post(f"/assessment/{assessment.id}/answers", json={"answers": {"strategy-roadmap": 1}})
    assert old_save.status_code == 409


def test_inviting_two_colleagues_mails_them(world, client, login):
    assessment = _start(client, login)
    client.post(f"/assessment/{assessment.id}/invite", data={"email": "prod@alfa.example", "area": "production"})
    client.post(f"/assessment/{assessment.id}/invite", data={"email": "new.hr@alfa.example", "name": "Nina HR",
                                                             "area": "hr"})
    refused = client.post(f"/assessment/{assessment.id}/invite", data={"email": "staff@beta.example", "area": "it"},
                          follow_redirects=True)
    assert "is not a member of Alfa Meccanica" in refused.text
    db.session.expire_all()
    assert [r.user.email for r in assessment.responses] == ["manager@alfa.example", "prod@alfa.example",
                                                            "new.hr@alfa.example"]
    mails = outbox(client.application)
    recipients = [m["To"] for m in mails]
    assert recipients.count("new.hr@alfa.example") == 2  # the account invitation and the assessment's
    assert recipients.count("prod@alfa.example") == 1 and "staff@beta.example" not in recipients
    body = next(m for m in mails if m["To"] == "prod@alfa.example").get_body(("plain",)).get_content()
    assert f"/assessment/{assessment.id}/answer" in body and "Marta Manager" in body


def test_a_colleague_sees_the_team_result_only_after_submitting_and_never_others_answers(world, client, login):
    assessment = world.start(mode="team")
    rounds.invite(assessment, world.manager, email="prod@alfa.example", name="", area="production", now=NOW,
                  lifetime=timedelta(days=3))
    submit(assessment.response_of(world.manager), answers(5))
    db.session.commit()
    login("prod@alfa.example")
    early = client.get(f"/assessment/{assessment.id}/result")
    assert early.status_code == 302 and early.headers["Location"].endswith("/answer")
    submit(assessment.response_of(world.production), answers(1))
    db.session.commit()
    page = client.get(f"/assessment/{assessment.id}/result").text
    assert "Marta Manager" in page  # who answered
    assert "(only you see this row)" in page  # their own row
    assert page.count("<td class=\"text-end\">5.0</td>") == 0  # the manager's own scores are not shown
    client.post(f"/assessment/{assessment.id}/share-answers", data={"shares_answers": "1"})
    login("manager@alfa.example")
    page = client.get(f"/assessment/{assessment.id}/result").text
    assert "Piero Produzione" in page and page.count("<td class=\"text-end\">1.0</td>") == 6  # shared by choice
    assert "views differ" in page and "Where people disagree" in page


def test_hostile_input_gets_clear_4xx(world, client, login):
    assessment = _start(client, login)
    url = f"/assessment/{assessment.id}/answers"
    cases = [
        (b"{not json", 400), (("[" * 50000 + "]" * 50000).encode(), 413),
        (json.dumps({"answers": {"strategy-roadmap": 99}}).encode(), 400),
        (json.dumps({"answers": {"x\u0000y": 1}}).encode(), 400),
        (json.dumps({"answers": ["strategy-roadmap"]}).encode(), 400),
        (json.dumps({"answers": {"strategy-roadmap": "3" * 10000}}).encode(), 400),
        (json.dumps({"answers": {f"k{i}": 1 for i in range(100)}}).encode(), 400),
        (("[" * 5000 + "]" * 5000).encode(), 400),
    ]
    for body, status in cases:
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == status, (body[:40], response.status_code)
        assert response.json["error"]["message"]
    for path in (f"/assessment/{2**40}", "/assessment/0/result", f"/assessment/{2**31}/report.pdf",
                 f"/assessment/companies/{2**63}", f"/assessment/centres/{2**40}"):
        assert client.get(path).status_code == 404, path
    assert client.post("/assessment/companies/1/start", data={"size": "huge", "sector": "x" * 10000}).status_code == 400
    assert db.session.scalar(db.select(db.func.count(AssessmentResponse.id))) == 1


def test_get_never_writes(world, client, login):
    login("manager@alfa.example")
    for path in ("/assessment/", "/assessment/companies/1"):
        assert client.get(path).status_code == 200
    assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 0
