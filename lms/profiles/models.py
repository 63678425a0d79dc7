"""A public (or members-only) profile for each trainer and ITS teacher, and the competences on it."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Organisation

VISIBILITIES = ("public", "signed_in")
LEVEL_NAMES = ("can_teach", "expert")
# Roles whose holders have a profile without an admin adding them.
PROFILE_ROLES = ("trainer", "its_staff")


class Profile(db.Model):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    headline: Mapped[str] = mapped_column(String(150), default="")
    bio: Mapped[str] = mapped_column(Text, default="")  # Markdown, shown through lms.render only
    # The one organisation shown on the profile, chosen among the person's memberships.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    languages: Mapped[list] = mapped_column(JSON, default=list)  # ISO 639-1 codes, see vocabulary.LANGUAGES
    # Contact options: only what the person chose is shown.
    show_email: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    linkedin_url: Mapped[str] = mapped_column(String(300), default="")
    # "public": anyone; "signed_in": only people with an account. Members-only until the person chooses.
    visibility: Mapped[str] = mapped_column(String(16), default="signed_in")
    # An admin can give a profile to someone without the trainer or ITS-staff role (a guest expert).
    is_listed_by_admin: Mapped[bool] = mapped_column(default=False)
    photo: Mapped[str | None] = mapped_column(String(64))  # random stem of the files under UPLOAD_DIR/profiles/
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    competences: Mapped[list["ProfileCompetence"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", lazy="selectin",
        # experts first ("expert" sorts after "can_teach")
        order_by=lambda: [ProfileCompetence.level.desc(), ProfileCompetence.slug, ProfileCompetence.tag],
    )

    def __repr__(self):
        return f"<Profile {self.slug}>"

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    @property
    def vocabulary_competences(self) -> list["ProfileCompetence"]:
        return [c for c in self.competences if c.slug]

    @property
    def free_tags(self) -> list["ProfileCompetence"]:
        return [c for c in self.competences if c.tag]

    def level_of(self, slug: str) -> str | None:
        return next((c.level for c in self.competences if c.slug == slug), None)


class ProfileCompetence(db.Model):
    """One competence on a profile: a vocabulary slug or a free tag, with a level."""

    __tablename__ = "profile_competences"
    __table_args__ = (
        UniqueConstraint("profile_id", "slug", name="uq_profile_competences_profile_slug"),
        UniqueConstraint("profile_id", "tag", name="uq_profile_competences_profile_tag"),
        CheckConstraint("(slug IS NULL) <> (tag IS NULL)", name="slug_or_tag"),
        CheckConstraint("level IN ('can_teach', 'expert')", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str | None] = mapped_column(String(60), index=True)  # from competences.yaml
    tag: Mapped[str | None] = mapped_column(String(40), index=True)  # free tag, normalised (rules.normalise_tag)
    level: Mapped[str] = mapped_column(String(16), default="can_teach")

    profile: Mapped[Profile] = relationship(back_populates="competences")

    @property
    def is_expert(self) -> bool:
        return self.level == "expert"
