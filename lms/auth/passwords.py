"""Password hashing (Argon2id) and the strength rule."""
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
_hasher = PasswordHasher()  # argon2-cffi's defaults are Argon2id with RFC 9106 parameters


def set_parameters(**argon2_parameters):
    """Replace the hasher's parameters (the test suite makes hashing cheap; production keeps the defaults)."""
    global _hasher
    _hasher = PasswordHasher(**argon2_parameters)
    _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so response time does not tell which accounts exist.
        try:
            _hasher.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash():
    return _hasher.hash("not-a-password")


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships a list of the 30,000 most common passwords from real leaks.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a password is too weak, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > 256:
        return str(_l("Use at most 256 characters."))
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 3:
        return str(_l("This password is among the most common ones: choose another."))
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (name and lowered == name.lower().replace(" ", "")):
        return str(_l("Do not use your name or e-mail address in your password."))
    return None
