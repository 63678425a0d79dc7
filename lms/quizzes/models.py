"""Quizzes, their questions, learners' attempts and responses.

A question's content is the JSON of lms.quizzes.questions.Question.to_dict(), so every GIFT type is stored
the same way and the grader works on plain values.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.courses.models import Course, Module
from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db

SHOW_FEEDBACK = ("immediately", "after_last_attempt", "never")
GRADE_METHODS = ("best", "last")
ATTEMPT_STATES = ("in_progress", "submitted")

DEFAULT_SETTINGS = {
    "pass_mark": 70,
    "attempts": 0,
    "time_limit": 0,
    "shuffle_questions": False,
    "shuffle_answers": True,
    "show_feedback": "immediately",
    "grade": "best",
}


class Quiz(db.Model):
    """A module's quiz (key "module:<slug>") or the course's final quiz (key "final")."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    pass_mark: Mapped[int] = mapped_column(default=70)  # percent
    attempts_allowed: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    time_limit_minutes: Mapped[int] = mapped_column(default=0)  # 0 = none
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_answers: Mapped[bool] = mapped_column(default=True)
    show_feedback: Mapped[str] = mapped_column(String(24), default="immediately")
    grade_method: Mapped[str] = mapped_column(String(8), default="best")
    # Hash of the .gift file as last synced, and the last browser edit: sync's conflict check, as for modules.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    edited_in_browser_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    module: Mapped[Module | None] = relationship()
    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def is_final(self) -> bool:
        return self.key == "final"

    @property
    def live_questions(self) -> list["QuizQuestion"]:
        return [q for q in self.questions if q.archived_at is None]


class QuizQuestion(db.Model):
    """One question of a quiz. Removed questions are archived, so past attempts keep their meaning."""

    __tablename__ = "quiz_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    qtype: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[dict] = mapped_column(JSON)  # Question.to_dict()
    content_hash: Mapped[str] = mapped_column(String(64))  # lets a re-import keep unchanged questions
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class Attempt(db.Model):
    """One try at a quiz. Each learner's attempts are numbered 1, 2, ...; the unique key stops a double start."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        Index("ix_quiz_attempts_user_quiz", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="in_progress")
    # The question ids in the order this learner sees them, and each question's shuffled choice order.
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None]  # 0..1; None until graded
    passed: Mapped[bool | None]
    needs_grading: Mapped[bool] = mapped_column(default=False)  # an essay waits for a trainer

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    responses: Mapped[list["Response"]] = relationship("lms.quizzes.models.Response", back_populates="attempt", cascade="all, delete-orphan")


class Response(db.Model):
    """A learner's answer to one question in one attempt, saved as they go and graded on submission."""

    __tablename__ = "quiz_responses"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True)
    answer: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fraction: Mapped[float | None]
    feedback: Mapped[list | None] = mapped_column(JSON)
    needs_manual: Mapped[bool] = mapped_column(default=False)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grader_comment: Mapped[str] = mapped_column(default="")

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    question: Mapped[QuizQuestion] = relationship()
