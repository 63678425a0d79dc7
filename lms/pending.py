"""Uploads waiting for their owner's confirmation (a people CSV, a GIFT file), kept on the server under a random id.

The preview is a page of its own (GET, so a reload or a language switch shows it again) and the confirmation
names the id, not the text: the file is read once, and what is imported is what was previewed. Uploads live
as files in the instance folder (PENDING_DIR) and expire after PENDING_HOURS; every save sweeps expired ones.
Several app hosts need PENDING_DIR on a shared volume.
"""
import json
import os
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


class PendingUpload:
    def __init__(self, folder: str, lifetime: timedelta):
        self.folder = Path(folder)
        self.lifetime = lifetime

    def save(self, text: str, scope: str, user_id: int, now: datetime) -> str:
        """Keep `text` for `user_id` to import into `scope` (what it is for, e.g. "org:3", "quiz:7"); returns
        its id."""
        self.sweep(now)
        self.folder.mkdir(parents=True, exist_ok=True)
        upload_id = secrets.token_urlsafe(16)
        record = {"scope": scope, "user_id": user_id,
                  "expires_at": (now + self.lifetime).timestamp(), "text": text}
        fd = os.open(self._path(upload_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record, f)
        return upload_id

    def load(self, upload_id: str, scope: str, user_id: int, now: datetime) -> str | None:
        """The text saved under `upload_id` for this person and scope, or None (unknown, expired, other's)."""
        if not _ID.match(upload_id or ""):
            return None
        try:
            record = json.loads(self._path(upload_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (record.get("scope"), record.get("user_id")) != (scope, user_id):
            return None
        if record.get("expires_at", 0) <= now.timestamp():
            return None
        return record.get("text")

    def discard(self, upload_id: str) -> None:
        if _ID.match(upload_id or ""):
            self._path(upload_id).unlink(missing_ok=True)

    def sweep(self, now: datetime) -> int:
        """Delete expired uploads; returns how many."""
        removed = 0
        for path in self.folder.glob("*.json") if self.folder.exists() else []:
            try:
                expired = json.loads(path.read_text(encoding="utf-8")).get("expires_at", 0) <= now.timestamp()
            except (OSError, ValueError):
                expired = True
            if expired:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.json"


def pending_uploads() -> PendingUpload:
    """The app's store (PENDING_DIR, kept PENDING_HOURS)."""
    return PendingUpload(current_app.config["PENDING_DIR"], timedelta(hours=current_app.config["PENDING_HOURS"]))
