"""Personal calendar-feed links: a secret token in the URL, stored only as a hash, revocable."""
import secrets

from sqlalchemy import delete, select

from lms.auth.models import User, hash_token
from lms.extensions import db
from lms.labs.models import CalendarFeed


def issue_feed_token(user: User) -> str:
    """A new secret for `user`'s feed; any earlier link stops working. The clear token is returned once."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def revoke_feed_token(user: User):
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))


def has_feed(user: User) -> bool:
    return db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id)) is not None


def user_for_feed_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token)))
    return feed.user if feed is not None and feed.user.is_active else None
