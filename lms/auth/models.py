"""Accounts, roles, one-time account links and API tokens."""
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db
from lms.i18n import N_

ROLES = (N_("learner"), N_("trainer"), N_("coordinator"), N_("company_manager"), N_("its_staff"), N_("admin"))
LANGUAGES = ("it", "en")


def new_session_key() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Tokens are random and long, so one fast hash is enough; the database never holds one in clear."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(5))  # None: follow the browser
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Rome")
    # Reminder offsets ("24h", "2h") this person switched off in their settings; booking messages always go.
    reminders_off: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it logs out every session of this user at once.
    session_key: Mapped[str] = mapped_column(String(64), default=new_session_key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moved by database triggers when this person's own rows change: part of their cached pages' keys
    # (lms/cachestamps.py, lms/pagecache.py). Never written by the app.
    cache_stamp: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self):
        return f"<User {self.email}>"

    # Flask-Login stores this in the session and remember cookies; see load_user().
    def get_id(self):
        return f"{self.id}:{self.session_key}"

    def end_all_sessions(self):
        """Invalidate every session and remember cookie issued so far (logout, password change, deactivation)."""
        self.session_key = new_session_key()

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def set_roles(self, roles):
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role: {', '.join(sorted(unknown))}")
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def add_role(self, role: str):
        self.set_roles(self.roles | {role})

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @classmethod
    def by_email(cls, email: str):
        return db.session.scalar(select(cls).where(cls.email == email.strip().lower()))


class UserRole(db.Model):
    __tablename__ = "user_roles"
    # (role, user_id): "the learners among these people" without reading the table (progress reports).
    __table_args__ = (UniqueConstraint("user_id", "role"), Index("ix_user_roles_role_user_id", "role", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32), index=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class AccountToken(db.Model):
    """A single-use, expiring link sent by e-mail: a password reset or an invitation."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "reset" | "invite"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its hash is stored and the clear token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # lets a person tell their tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
