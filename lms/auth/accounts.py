"""Rules about accounts: creation, sign-in, one-time links and API tokens.

Plain functions over the session: they add and flush, the caller (a view, a CLI command) commits.
"""
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from lms.auth.email_messages import email_problem
from lms.auth.models import ROLES, AccountToken, ApiToken, User, hash_token
from lms.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from lms.extensions import db


class AccountError(ValueError):
    """A rule refused the request; the message is safe to show to the person."""


def normalise_email(email: str) -> str:
    """A valid address in lower case, or AccountError. Accounts are unique case-insensitively."""
    try:
        result = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        reason = email_problem(str(exc))
        raise AccountError(str(_l("Not a valid e-mail address: %(reason)s", reason=reason))) from exc
    return result.normalized.lower()


def check_password(password: str, email: str = "", name: str = ""):
    problem = password_problem(password, email, name)
    if problem:
        raise AccountError(problem)


def create_user(email, name, roles=("learner",), password=None, language=None, timezone="Europe/Rome"):
    """Add a new active user; raises AccountError for a bad or duplicate address, a weak password or a bad role."""
    email = normalise_email(email)
    name = (name or "").strip()
    if not name:
        raise AccountError(str(_l("A name is required.")))
    if User.by_email(email):
        raise AccountError(str(_l("An account with this e-mail address already exists.")))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(str(_l("Unknown role: %(role)s", role=", ".join(sorted(unknown)))))
    user = User(email=email, name=name, language=language, timezone=timezone)
    user.set_roles(roles or ["learner"])
    if password is not None:
        check_password(password, email, name)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None: the caller shows one message for every failure."""
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    user = User.by_email(email) if email else None
    if not verify_password(user.password_hash if user else None, password) or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


def set_password(user: User, password: str):
    """Replace the password and end every other session of the user."""
    check_password(password, user.email, user.name)
    user.password_hash = hash_password(password)
    user.end_all_sessions()


def deactivate(user: User, now: datetime):
    """Stop the account at once: sessions end and API tokens are revoked."""
    user.is_active = False
    user.end_all_sessions()
    for token in user_api_tokens(user):
        token.revoked_at = token.revoked_at or now


# One-time links ---------------------------------------------------------------------------------

def issue_account_token(user: User, purpose: str, now: datetime, lifetime: timedelta) -> str:
    """A new single-use link token for `purpose` ("reset" or "invite"); earlier unused ones stop working."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=hash_token(token), expires_at=now + lifetime))
    db.session.flush()
    return token


def find_account_token(token: str, purpose: str, now: datetime) -> AccountToken | None:
    row = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token or ""), AccountToken.purpose == purpose)
    )
    return row if row and row.is_usable(now) and row.user.is_active else None


def redeem_account_token(token: str, purpose: str, password: str, now: datetime) -> User:
    """Set the password from a link, once. The conditional UPDATE makes a replayed or raced link fail."""
    row = find_account_token(token, purpose, now)
    if row is None:
        raise AccountError(str(_l("This link has expired or has already been used. Ask for a new one.")))
    check_password(password, row.user.email, row.user.name)
    claimed = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise AccountError(str(_l("This link has expired or has already been used. Ask for a new one.")))
    set_password(row.user, password)
    return row.user


# API tokens -------------------------------------------------------------------------------------

TOKEN_PREFIX = "lms_"


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the clear value is returned once and never stored."""
    name = (name or "").strip()[:100] or str(_l("API token"))
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(clear), prefix=clear[:12])
    db.session.add(token)
    db.session.flush()
    return token, clear


# "Last used" is shown to the minute: writing it on every call would turn every API read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


# The token with its owner and their roles in one statement, built once: a fresh statement and loader options per
# API request cost more CPU than the lookup itself (building them and their cache key).
_TOKEN = (select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
          .options(joinedload(ApiToken.user).joinedload(User.role_rows)))


def user_for_api_token(clear: str, now: datetime) -> User | None:
    """The active owner of an active token (token, owner and roles in one query), noting the token's use."""
    token = db.session.scalars(_TOKEN, {"token_hash": hash_token(clear or "")}).unique().first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
    return token.user


def user_api_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_api_token(user: User, token_id: int, now: datetime):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise AccountError(str(_l("No such token.")))
    token.revoked_at = token.revoked_at or now
