"""Organisations (companies, ITS foundations, competence centres), memberships and cohorts."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db
from lms.i18n import N_

KINDS = {
    "company": N_("Company"),
    "its": N_("ITS foundation"),
    "competence_centre": N_("Competence centre"),
}
MEMBER_ROLES = (N_("member"), N_("manager"))


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    city: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation", cascade="all, delete-orphan")
    cohorts: Mapped[list["Cohort"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Cohort.name"
    )

    def __repr__(self):
        return f"<Organisation {self.name}>"

    @property
    def is_its(self) -> bool:
        return self.kind == "its"

    def membership_of(self, user) -> "Membership | None":
        return next((m for m in self.memberships if m.user_id == user.id), None)

    def is_manager(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.role == "manager"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(backref="memberships")


class Cohort(db.Model):
    """A group of learners inside an ITS foundation (a class, an intake year)."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="cohorts")
    members: Mapped[list["CohortMember"]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class CohortMember(db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
