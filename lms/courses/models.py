"""Courses and modules (loaded from files or written in the browser), revisions, enrolments, completions."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db

AUDIENCES = ("ceo", "manager", "technician", "hr")


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    language: Mapped[str] = mapped_column(String(5), default="en")
    audience: Mapped[list] = mapped_column(JSON, default=list)
    trainer_emails: Mapped[list] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)  # free text; a course slug becomes a link
    final_quiz_settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Slug of the course this one is an edition of (same course in another language); None for originals.
    translation_of: Mapped[str | None] = mapped_column(String(100), index=True)
    cover: Mapped[str | None] = mapped_column(String(300))  # image path under the course's media/
    lab_slugs: Mapped[list] = mapped_column(JSON, default=list)  # demo labs that fit the course
    # A lab whose session a learner must attend to complete the course (front matter `lab:`); None: no lab needed.
    required_lab_slug: Mapped[str | None] = mapped_column(String(100))
    is_published: Mapped[bool] = mapped_column(default=True)
    # Hash of course.md as last synced: tells sync whether the file changed.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Course {self.slug}>"

    @property
    def live_modules(self) -> list["Module"]:
        """Modules a learner sees: published and not archived, in order."""
        return [m for m in self.modules if m.is_published and m.archived_at is None]

    @property
    def total_minutes(self) -> int:
        return sum(m.minutes for m in self.live_modules)

    def is_taught_by(self, user) -> bool:
        return user.is_authenticated and user.email in (self.trainer_emails or [])


class Module(db.Model):
    """A unit of a course. Identity is (course, slug): renumbering files keeps learners' progress."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(default=10)
    audience: Mapped[list | None] = mapped_column(JSON)  # None: the course's audience
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    quiz_settings: Mapped[dict] = mapped_column(JSON, default=dict)
    is_published: Mapped[bool] = mapped_column(default=True)
    # Optional modules (front matter `optional: true`) count towards progress but not towards course completion.
    is_optional: Mapped[bool] = mapped_column(default=False, server_default=false())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # removed from the files: hidden, progress kept
    # Hash of the module file as last synced, and when it was last edited in the browser: together they
    # let sync see a conflict (both changed) instead of overwriting a trainer's work.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    edited_in_browser_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="modules")
    revisions: Mapped[list["ModuleRevision"]] = relationship(
        back_populates="module", order_by="ModuleRevision.number", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Module {self.course.slug}/{self.slug}>"

    @property
    def effective_audience(self) -> list:
        return self.audience if self.audience is not None else (self.course.audience or [])


class ModuleRevision(db.Model):
    """A saved version of a module, from a file sync or a browser edit; restore copies one back."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # "file" | "browser" | "restore"
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    # The progress figures after user_id let reports over thousands of people read this index alone (covering).
    __table_args__ = (UniqueConstraint("user_id", "course_id"),
                      Index("ix_enrolments_user_figures", "user_id", "course_id", "completed_at", "modules_done",
                            "quiz_best", "last_activity_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (user_id, course_id) and ix_enrolments_user_figures begin with it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Figures kept up to date by lms.progress.completion.recompute whenever something that counts happens, so
    # reports over thousands of learners read this one table instead of aggregating every attempt.
    modules_done: Mapped[int] = mapped_column(default=0, server_default="0")  # live, non-optional modules
    quiz_best: Mapped[float | None]  # mean of the best score of each quiz attempted, 0..1
    final_best: Mapped[float | None]  # best score at the final quiz
    quiz_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # enrolment, module or attempt

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    enrolled_by: Mapped[User | None] = relationship(foreign_keys=[enrolled_by_id])
    last_module: Mapped[Module | None] = relationship()


class ModuleCompletion(db.Model):
    __tablename__ = "module_completions"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    via: Mapped[str] = mapped_column(String(16), default="manual")  # "manual" | "quiz"
