"""Rules that start, answer, submit, revise and repeat a company's assessment. They add and flush; the caller
commits. Each takes `now`. The scores themselves are computed in scoring.py.
"""
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.assessment import scoring
from lms.assessment.models import AREAS, MODES, SECTORS, SIZES, Assessment, AssessmentResponse, CompanyProfile
from lms.assessment.questionnaire import Questionnaire
from lms.auth import accounts
from lms.auth.models import User
from lms.extensions import db
from lms.orgs import people
from lms.orgs.models import Organisation

INVALID, FORBIDDEN, CONFLICT = 400, 403, 409


class AssessmentError(ValueError):
    """A rule refused the request; the message is safe to show and `status` says how a view answers it."""

    def __init__(self, message: str, status: int = INVALID):
        super().__init__(message)
        self.status = status


def can_manage(user, organisation: Organisation) -> bool:
    """Admins, and the managers of the company, run its assessment (start, invite, repeat, start the path)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_admin or organisation.is_manager(user)


def profile_of(organisation: Organisation) -> CompanyProfile | None:
    return db.session.scalar(select(CompanyProfile).where(CompanyProfile.organisation_id == organisation.id))


def set_profile(organisation: Organisation, size: str, sector: str) -> CompanyProfile:
    if size not in SIZES or sector not in SECTORS:
        raise AssessmentError(str(_l("Choose the company's size and sector from the lists.")))
    profile = profile_of(organisation)
    if profile is None:
        profile = CompanyProfile(organisation=organisation, size=size, sector=sector)
        db.session.add(profile)
    else:
        profile.size, profile.sector = size, sector
    db.session.flush()
    return profile


def versions_of(organisation: Organisation) -> list[Assessment]:
    """Every version, newest first."""
    return list(db.session.scalars(select(Assessment).where(Assessment.organisation_id == organisation.id)
                                   .order_by(Assessment.version.desc())))


def current_of(organisation: Organisation) -> Assessment | None:
    """The open (newest) version, or None before the first assessment."""
    return db.session.scalar(select(Assessment).where(Assessment.organisation_id == organisation.id,
                                                      Assessment.closed_at.is_(None)))


def _new_version(organisation: Organisation, by: User, mode: str, round_: int, now: datetime, qversion: int) -> Assessment:
    last = db.session.scalar(select(func.max(Assessment.version)).where(Assessment.organisation_id == organisation.id))
    assessment = Assessment(organisation=organisation, version=(last or 0) + 1, round=round_, mode=mode,
                            created_by=by, created_at=now, questionnaire_version=qversion)
    db.session.add(assessment)
    return assessment


def start(organisation: Organisation, by: User, *, mode: str, area: str, now: datetime, qversion: int) -> Assessment:
    """The company's first assessment, with `by` as its first participant; the open one if it exists already.

    :raise AssessmentError: not a company, not its manager, or an unknown mode.
    """
    if organisation.kind != "company":
        raise AssessmentError(str(_l("Only a company takes the maturity assessment.")))
    if not can_manage(by, organisation):
        raise AssessmentError(str(_l("Only a manager of %(org)s can start its assessment.", org=organisation.name)),
                              FORBIDDEN)
    if mode not in MODES or area not in AREAS:
        raise AssessmentError(str(_l("Choose how the assessment is taken and your area.")))
    current = current_of(organisation)
    if current is not None:
        return current
    assessment = _new_version(organisation, by, mode, 1, now, qversion)
    assessment.responses.append(AssessmentResponse(user=by, area=area, created_at=now, updated_at=now))
    db.session.flush()
    return assessment


def repeat(organisation: Organisation, by: User, *, now: datetime, qversion: int) -> Assessment:
    """A new round six months after the last one was submitted: same people, blank answers.

    :raise AssessmentError: not allowed, nothing to repeat, or too early (409, with the date it becomes possible).
    """
    if not can_manage(by, organisation):
        raise AssessmentError(str(_l("Only a manager of %(org)s can repeat its assessment.", org=organisation.name)),
                              FORBIDDEN)
    current = current_of(organisation)
    first = first_submission_of_round(organisation, current.round) if current else None
    if current is None or first is None:
        raise AssessmentError(str(_l("There is no submitted assessment to repeat yet.")), CONFLICT)
    if not scoring.can_repeat(first, now):
        raise AssessmentError(str(_l("A repeat assessment is possible six months after the last one.")), CONFLICT)
    current.closed_at = now
    db.session.flush()
    assessment = _new_version(organisation, by, current.mode, current.round + 1, now, qversion)
    for old in current.responses:
        assessment.responses.append(AssessmentResponse(user_id=old.user_id, area=old.area, invited_by_id=old.invited_by_id,
                                             created_at=now, updated_at=now))
    if not any(r.user_id == by.id for r in assessment.responses):
        assessment.responses.append(AssessmentResponse(user=by, area="owner", created_at=now, updated_at=now))
    db.session.flush()
    return assessment


def first_submission_of_round(organisation: Organisation, round_: int) -> datetime | None:
    return db.session.scalar(
        select(func.min(AssessmentResponse.submitted_at)).join(Assessment)
        .where(Assessment.organisation_id == organisation.id, Assessment.round == round_)
    )


def repeat_offer(assessment: Assessment, manages: bool, now: datetime) -> dict:
    """What a page offers about repeating: `can_repeat` (a manager, on the open version, six months after the
    round's first submission) and `repeat_from`, the date that becomes possible (None before any submission)."""
    first = first_submission_of_round(assessment.organisation, assessment.round)
    return {"can_repeat": manages and assessment.is_open and scoring.can_repeat(first, now),
            "repeat_from": scoring.repeat_from(first)}


def revise(assessment: Assessment, user: User, now: datetime) -> Assessment:
    """Change one's answers after submitting: a new version of the same round, where everyone else's answers are
    carried over as they were and `user`'s become an editable draft. The old version stays as history.

    :raise AssessmentError: an old version (409), not a participant (403), or not submitted yet (409).
    """
    response = assessment.response_of(user)
    if response is None:
        raise AssessmentError(str(_l("You are not taking part in this assessment.")), FORBIDDEN)
    if not assessment.is_open:
        raise AssessmentError(str(_l("This is an older version of the assessment; open the current one.")), CONFLICT)
    if not response.is_submitted:
        raise AssessmentError(str(_l("Your answers are not submitted yet: you can still change them.")), CONFLICT)
    assessment.closed_at = now
    db.session.flush()
    new = _new_version(assessment.organisation, user, assessment.mode, assessment.round, now,
                       assessment.questionnaire_version)
    for old in assessment.responses:
        mine = old.user_id == user.id
        new.responses.append(AssessmentResponse(
            user_id=old.user_id, area=old.area, answers=dict(old.answers or {}), shares_answers=old.shares_answers,
            invited_by_id=old.invited_by_id, created_at=old.created_at, updated_at=now if mine else old.updated_at,
            submitted_at=None if mine else old.submitted_at))
    db.session.flush()
    return new


def invite(assessment: Assessment, by: User, *, email: str, name: str, area: str, now: datetime,
           lifetime: timedelta) -> tuple[AssessmentResponse, str | None]:
    """Ask a colleague to answer: an existing member of the company, or a new person, who gets an account in it
    and an invitation token (returned, for the mail). Returns (response, token or None).

    :raise AssessmentError: not a manager (403), an account outside the company (403), a bad address, an
        unknown area, or the person is already taking part (409).
    """
    company = assessment.organisation
    if not can_manage(by, company):
        raise AssessmentError(str(_l("Only a manager of %(org)s can invite colleagues.", org=company.name)), FORBIDDEN)
    if not assessment.is_open:
        raise AssessmentError(str(_l("This is an older version of the assessment; open the current one.")), CONFLICT)
    if area not in AREAS:
        raise AssessmentError(str(_l("Choose the colleague's area from the list.")))
    try:
        email = accounts.normalise_email(email)
    except accounts.AccountError as exc:
        raise AssessmentError(str(exc)) from None
    user = User.by_email(email)
    token = None
    if user is not None:
        if company.membership_of(user) is None:
            # A manager may not pull an account of another organisation into their company.
            raise AssessmentError(str(_l(
                "%(email)s has an account but is not a member of %(org)s; ask an administrator to add them.",
                email=email, org=company.name)), FORBIDDEN)
        if assessment.response_of(user) is not None:
            raise AssessmentError(str(_l("%(email)s is already taking part.", email=email)), CONFLICT)
    else:
        name = " ".join((name or "").split())[:200]
        if not name:
            raise AssessmentError(str(_l("Write the colleague's name: they do not have an account yet.")))
        try:
            user, token = people.invite_person(email, name, "learner", company, "member", now, lifetime)
        except (accounts.AccountError, people.MembershipError) as exc:
            raise AssessmentError(str(exc)) from None
    response = AssessmentResponse(user=user, area=area, invited_by=by, created_at=now, updated_at=now)
    assessment.responses.append(response)
    assessment.mode = "team"
    db.session.flush()
    return response, token


def _check_editable(response: AssessmentResponse):
    if not response.assessment.is_open:
        raise AssessmentError(str(_l("This is an older version of the assessment; open the current one.")), CONFLICT)
    if response.is_submitted:
        raise AssessmentError(str(_l("Your answers are submitted. To change them, start a new version.")), CONFLICT)


def save_answers(response: AssessmentResponse, raw: dict, questionnaire: Questionnaire, now: datetime) -> dict:
    """Merge `raw` (question -> level, "dk", or None to clear) into a draft; returns the stored answers.

    :raise AssessmentError: submitted or an old version (409), or a bad question or level (400).
    """
    _check_editable(response)
    if not isinstance(raw, dict) or len(raw) > len(questionnaire.questions):
        raise AssessmentError(str(_l("Answers must be an object of question -> level.")))
    answers = dict(response.answers or {})
    for slug, value in raw.items():
        if not isinstance(slug, str) or questionnaire.question(slug) is None:
            raise AssessmentError(str(_l("Unknown question: %(slug)s", slug=str(slug)[:60])))
        try:
            cleaned = scoring.clean_answer(value)
        except scoring.AnswerError:
            raise AssessmentError(str(_l("An answer is a level from 0 to 5 or \"don't know\"."))) from None
        if cleaned is None:
            answers.pop(slug, None)
        else:
            answers[slug] = cleaned
    response.answers = answers  # a new dict, so the JSON column sees the change
    response.updated_at = now
    db.session.flush()
    return answers


def submit(response: AssessmentResponse, now: datetime) -> AssessmentResponse:
    """Submit once. Blank questions count as "don't know".

    :raise AssessmentError: already submitted or an old version (409), or nothing answered (400).
    """
    _check_editable(response)
    if not response.answers:
        raise AssessmentError(str(_l("Answer at least one question before submitting.")))
    response.submitted_at = now
    db.session.flush()
    return response


def dimension_map(questionnaire: Questionnaire) -> dict[str, list[str]]:
    return {d.slug: [q.slug for q in d.questions] for d in questionnaire.dimensions}


def result_of(assessment: Assessment, questionnaire: Questionnaire) -> scoring.TeamResult:
    return scoring.team_result(dimension_map(questionnaire), [dict(r.answers or {}) for r in assessment.submitted])


def latest_result(organisation: Organisation) -> Assessment | None:
    """The newest version with at least one submitted response."""
    return next((a for a in versions_of(organisation) if a.submitted), None)


def rounds_history(organisation: Organisation) -> list[Assessment]:
    """The last version with a result of each round, newest round first: what a repeat is compared with."""
    seen, result = set(), []
    for assessment in versions_of(organisation):
        if assessment.round not in seen and assessment.submitted:
            seen.add(assessment.round)
            result.append(assessment)
    return result


def peer_scores(organisation: Organisation, questionnaire: Questionnaire) -> list[dict]:
    """Latest scores of the other companies of the same size and sector (none without a profile)."""
    profile = profile_of(organisation)
    if profile is None:
        return []
    peers = db.session.scalars(select(CompanyProfile).where(
        CompanyProfile.size == profile.size, CompanyProfile.sector == profile.sector,
        CompanyProfile.organisation_id != organisation.id))
    result = []
    for peer in peers:
        latest = latest_result(peer.organisation)
        if latest is not None:
            result.append(result_of(latest, questionnaire).scores)
    return result
