"""A company's maturity assessment: its versions, each person's answers, its profile and what it shares.

An Assessment row is one version. Versions of a company are numbered 1, 2, 3...; `round` groups the versions of
one sitting (a revision after submission is a new version of the same round; a repeat six months later starts
a new round). Only the newest version is open (closed_at None); older ones are history and never change.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db
from lms.i18n import N_
from lms.orgs.models import Organisation

MODES = {"individual": N_("Individual"), "team": N_("Team")}
SIZES = {
    "micro": N_("Micro (fewer than 10 people)"),
    "small": N_("Small (10–49 people)"),
    "medium": N_("Medium (50–249 people)"),
    "large": N_("Large (250 people or more)"),
}
SECTORS = {
    "metalworking": N_("Metalworking and metal products"),
    "machinery": N_("Machinery and equipment"),
    "automotive": N_("Automotive and transport components"),
    "electronics": N_("Electronics and electrical equipment"),
    "plastics": N_("Plastics, rubber and chemicals"),
    "food": N_("Food and beverages"),
    "fashion": N_("Textiles, clothing and leather"),
    "wood": N_("Wood, furniture and paper"),
    "other": N_("Other manufacturing"),
}
AREAS = {
    "owner": N_("Owner / management"),
    "production": N_("Production"),
    "it": N_("IT"),
    "hr": N_("HR"),
    "sales": N_("Sales and customers"),
    "quality": N_("Quality and maintenance"),
    "other": N_("Other"),
}


class CompanyProfile(db.Model):
    """Size band and sector of a company: what the benchmark compares on."""

    __tablename__ = "assessment_company_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    size: Mapped[str] = mapped_column(String(16))
    sector: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()


class AssessmentShare(db.Model):
    """A company lets an ITS foundation or competence centre count its results; with its name only if it says so."""

    __tablename__ = "assessment_shares"
    __table_args__ = (UniqueConstraint("company_id", "centre_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    show_name: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Organisation] = relationship(foreign_keys=[company_id])
    centre: Mapped[Organisation] = relationship(foreign_keys=[centre_id])


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("organisation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    round: Mapped[int] = mapped_column(default=1)
    mode: Mapped[str] = mapped_column(String(16), default="individual")
    questionnaire_version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set when a newer version replaces it

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    responses: Mapped[list["AssessmentResponse"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentResponse.id"
    )

    def __repr__(self):
        return f"<Assessment {self.organisation_id} v{self.version}>"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def submitted(self) -> list["AssessmentResponse"]:
        return [r for r in self.responses if r.submitted_at is not None]

    @property
    def submitted_at(self) -> datetime | None:
        """When its result was last complete: the latest submission (None while nobody has submitted)."""
        return max((r.submitted_at for r in self.submitted), default=None)

    def response_of(self, user) -> "AssessmentResponse | None":
        return next((r for r in self.responses if r.user_id == user.id), None)


class AssessmentResponse(db.Model):
    """One person's answers in one version: autosaved as a draft, then submitted once (and frozen)."""

    __tablename__ = "assessment_responses"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    area: Mapped[str] = mapped_column(String(16), default="other")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question slug -> 0..5 or "dk"
    # The person lets their colleagues see their own answers; otherwise only the team's figures are shown.
    shares_answers: Mapped[bool] = mapped_column(default=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped[Assessment] = relationship(back_populates="responses")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
