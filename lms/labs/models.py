"""Demo labs: a place with equipment where firms see Industry 4.0 solutions working (loaded from labs/*.md)."""
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.dbtypes import UTCDateTime, utcnow
from lms.extensions import db


class Lab(db.Model):
    __tablename__ = "labs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    seats: Mapped[int] = mapped_column(default=8)  # default capacity of a new session
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    coordinator_email: Mapped[str] = mapped_column(String(254), default="")
    minutes: Mapped[int | None]  # typical session length
    audience: Mapped[list] = mapped_column(JSON, default=list)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    fee: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # language -> the lab's texts in that language (labs/<language>/<slug>.md)
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    # Hash of the lab file as last synced; None for a lab made in the browser, which sync leaves alone.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # removed from the files: hidden, kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<Lab {self.slug}>"

    def text(self, name: str, language: str):
        """A text field in `language` where the lab has a translation of it, else as written."""
        return (self.translations or {}).get(language, {}).get(name) or getattr(self, name)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
