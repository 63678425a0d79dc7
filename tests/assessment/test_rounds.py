"""Starting, answering, submitting, revising and repeating an assessment: the rules, without HTTP."""
from datetime import timedelta

import pytest

from lms.assessment import presenting, rounds
from lms.assessment.questionnaire import questionnaire
from lms.auth.models import AccountToken, User
from lms.extensions import db
from tests.assessment.conftest import NOW, answers, submit

WEEK = timedelta(days=14)


def test_start_makes_version_one_with_its_manager_and_is_idempotent(world):
    first = world.start()
    assert (first.version, first.round, first.is_open) == (1, 1, True)
    assert [r.user for r in first.responses] == [world.manager]
    assert world.start() is first
    with pytest.raises(rounds.AssessmentError) as refused:
        rounds.start(world.a, world.production, mode="team", area="it", now=NOW, qversion=1)
    assert refused.value.status == 403
    with pytest.raises(rounds.AssessmentError):
        rounds.start(world.its, world.admin, mode="team", area="it", now=NOW, qversion=1)


def test_inviting_members_new_people_and_refusing_outsiders(world):
    assessment = world.start()
    response, token = rounds.invite(assessment, world.manager, email="PROD@alfa.example", name="", area="production",
                                    now=NOW, lifetime=WEEK)
    assert response.user == world.production and token is None and assessment.mode == "team"
    newcomer, token = rounds.invite(assessment, world.manager, email="hr@alfa.example", name="Helena HR", area="hr",
                                    now=NOW, lifetime=WEEK)
    assert token and world.a.membership_of(newcomer.user) is not None
    assert db.session.query(AccountToken).filter_by(user_id=newcomer.user.id, purpose="invite").count() == 1
    for email, status in (("staff@beta.example", 403), ("prod@alfa.example", 409), ("not-an-address", 400)):
        with pytest.raises(rounds.AssessmentError) as refused:
            rounds.invite(assessment, world.manager, email=email, name="X", area="it", now=NOW, lifetime=WEEK)
        assert refused.value.status == status, email
    with pytest.raises(rounds.AssessmentError) as refused:
        rounds.invite(assessment, world.production, email="it@alfa.example", name="", area="it", now=NOW,
                      lifetime=WEEK)
    assert refused.value.status == 403
    assert world.b.membership_of(User.by_email("staff@beta.example")) is not None  # untouched


def test_answers_autosave_merge_and_clear(world):
    response = world.start().responses[0]
    rounds.save_answers(response, {"strategy-roadmap": 2, "data-security": "dk"}, questionnaire(), NOW)
    rounds.save_answers(response, {"strategy-roadmap": "4", "people-training": 1}, questionnaire(), NOW)
    assert response.answers == {"strategy-roadmap": 4, "data-security": "dk", "people-training": 1}
    rounds.save_answers(response, {"people-training": None}, questionnaire(), NOW)
    assert "people-training" not in response.answers
    for bad in ({"strategy-roadmap": 9}, {"no-such-question": 1}, {"strategy-roadmap": [1]}, ["strategy-roadmap"]):
        with pytest.raises(rounds.AssessmentError) as refused:
            rounds.save_answers(response, bad, questionnaire(), NOW)
        assert refused.value.status == 400
    assert response.answers["strategy-roadmap"] == 4  # a refused save changed nothing


def test_submitted_once_then_frozen(world):
    response = world.start().responses[0]
    with pytest.raises(rounds.AssessmentError):
        rounds.submit(response, NOW)  # nothing answered
    submit(response, {"strategy-roadmap": 3})
    for attempt in (lambda: rounds.submit(response, NOW),
                    lambda: rounds.save_answers(response, {"strategy-roadmap": 5}, questionnaire(), NOW)):
        with pytest.raises(rounds.AssessmentError) as refused:
            attempt()
        assert refused.value.status == 409
    assert response.answers == {"strategy-roadmap": 3}


def test_an_edit_after_submission_is_a_new_version(world):
    assessment = world.start(mode="team")
    rounds.invite(assessment, world.manager, email="prod@alfa.example", name="", area="production", now=NOW,
                  lifetime=WEEK)
    mine, theirs = assessment.responses
    submit(mine, answers(2))
    submit(theirs, answers(4))
    db.session.commit()
    later = NOW + timedelta(days=3)
    new = rounds.revise(assessment, world.manager, later)
    assert (new.version, new.round) == (2, 1) and assessment.closed_at == later and new.is_open
    new_mine, new_theirs = new.response_of(world.manager), new.response_of(world.production)
    assert new_mine.answers == mine.answers and not new_mine.is_submitted
    assert new_theirs.is_submitted and new_theirs.submitted_at == theirs.submitted_at
    rounds.save_answers(new_mine, {"strategy-roadmap": 5}, questionnaire(), later)
    assert mine.answers["strategy-roadmap"] == 2  # the old version is history
    with pytest.raises(rounds.AssessmentError) as refused:
        rounds.save_answers(mine, {"strategy-roadmap": 1}, questionnaire(), later)
    assert refused.value.status == 409
    with pytest.raises(rounds.AssessmentError):
        rounds.revise(assessment, world.manager, later)  # an old version cannot be revised again
    assert rounds.current_of(world.a) is new
    assert rounds.latest_result(world.a) is new  # the colleague's answers still make a result


def test_a_repeat_after_six_months_compares_with_the_previous_round(world):
    assessment = world.start()
    submit(assessment.responses[0], answers(1))
    with pytest.raises(rounds.AssessmentError) as early:
        rounds.repeat(world.a, world.manager, now=NOW + timedelta(days=100), qversion=1)
    assert early.value.status == 409
    later = NOW + timedelta(days=190)
    second = rounds.repeat(world.a, world.manager, now=later, qversion=1)
    assert (second.version, second.round) == (2, 2) and second.responses[0].answers == {}
    submit(second.responses[0], answers(3), now=later)
    view = presenting.result_view(second, questionnaire(), "en")
    assert view.baseline == assessment and view.baseline_overall == 1.0
    assert all(d.change == 2.0 for d in view.dimensions)


def test_the_repeat_offer_names_the_date_and_opens_to_managers_of_the_open_version(world):
    assessment = world.start()
    assert rounds.repeat_offer(assessment, True, NOW) == {"can_repeat": False, "repeat_from": None}
    submit(assessment.responses[0], answers(1))
    due = rounds.repeat_offer(assessment, True, NOW)["repeat_from"]
    assert due is not None and due > NOW + timedelta(days=100)
    assert rounds.repeat_offer(assessment, True, due) == {"can_repeat": True, "repeat_from": due}
    assert not rounds.repeat_offer(assessment, False, due)["can_repeat"]
    newer = rounds.revise(assessment, world.manager, NOW)
    assert not rounds.repeat_offer(assessment, True, due)["can_repeat"]  # an older version: history
    assert rounds.repeat_offer(newer, True, due) == {"can_repeat": True, "repeat_from": due}


def test_the_benchmark_appears_with_five_similar_firms(world):
    from lms.orgs.models import Organisation

    own = world.start()
    submit(own.responses[0], answers(2))
    view = presenting.result_view(own, questionnaire(), "en")
    assert view.benchmark is None and view.peers_count == 0
    for n in range(5):
        firm = Organisation(name=f"Peer {n}", kind="company")
        db.session.add(firm)
        manager = world.person(f"m{n}@peer.example", f"M {n}", ("company_manager",), firm, "manager")
        peer = world.start(company=firm, by=manager, sector="machinery" if n < 4 else "food")
        submit(peer.responses[0], answers(n))
    view = presenting.result_view(own, questionnaire(), "en")
    assert view.benchmark is None and view.peers_count == 4  # the fifth is another sector
    rounds.set_profile(db.session.scalar(db.select(Organisation).where(Organisation.name == "Peer 4")), "small",
                       "machinery")
    view = presenting.result_view(own, questionnaire(), "en")
    assert view.peers_count == 5 and view.by_slug("data").peers.mean == 2.0


def test_api_dict_has_scores_but_no_answers(world):
    assessment = world.start()
    submit(assessment.responses[0], answers(3, data_security="dk"))
    data = presenting.result_dict(assessment, questionnaire())
    assert data["overall"] == 3.0 and data["stage"] == 3 and data["respondents"] == 1
    assert "answers" not in str(data) and "strategy-roadmap" not in str(data)
