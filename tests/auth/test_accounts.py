"""Account rules, tested without HTTP."""
from datetime import timedelta

import pytest

from lms.auth import accounts
from lms.auth.models import AccountToken, ApiToken, User
from lms.dbtypes import utcnow
from lms.extensions import db
from tests.conftest import PASSWORD


@pytest.mark.parametrize("email", ["plainaddress", "a@", "@b.it", "a b@c.it", "a@b", "x" * 250 + "@b.it", ""])
def test_malformed_emails_are_refused(app, email):
    with pytest.raises(accounts.AccountError):
        accounts.create_user(email, "Name", password=PASSWORD)
    assert db.session.query(User).count() == 0


def test_duplicate_account_is_refused_case_insensitively(app, create_user):
    create_user("Anna.Verdi@Example.com")
    with pytest.raises(accounts.AccountError, match="already exists"):
        accounts.create_user("anna.verdi@EXAMPLE.com", "Other", password=PASSWORD)
    assert db.session.query(User).count() == 1
    assert User.by_email("ANNA.VERDI@example.com").email == "anna.verdi@example.com"


@pytest.mark.parametrize("password, reason", [
    ("short1!", "at least 8"),
    ("password", "most common"),
    ("12345678", "most common"),
    ("qwertyuiop", "most common"),
    ("aaaaaaaaaaaa", "most common"),
])
def test_weak_passwords_are_refused(app, password, reason):
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.create_user("a@example.com", "A Person", password=password)
    assert db.session.query(User).count() == 0


def test_password_with_own_email_is_refused(app):
    with pytest.raises(accounts.AccountError, match="name or e-mail"):
        accounts.create_user("giuseppe@example.com", "G", password="giuseppe2026")


def test_passwords_are_hashed_with_argon2id(app, create_user):
    user = create_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_authenticate(app, create_user):
    create_user("lea@example.com")
    now = utcnow()
    assert accounts.authenticate("LEA@example.com", PASSWORD, now).email == "lea@example.com"
    assert accounts.authenticate("lea@example.com", "wrong-password", now) is None
    assert accounts.authenticate("nobody@example.com", PASSWORD, now) is None
    assert accounts.authenticate("not an email", PASSWORD, now) is None


def test_deactivated_user_cannot_authenticate_and_loses_tokens(app, create_user):
    user = create_user()
    token, clear = accounts.create_api_token(user, "script")
    key = user.session_key
    accounts.deactivate(user, utcnow())
    db.session.commit()
    assert accounts.authenticate(user.email, PASSWORD, utcnow()) is None
    assert accounts.user_for_api_token(clear, utcnow()) is None
    assert user.session_key != key


def test_unknown_role_is_refused(app):
    with pytest.raises(accounts.AccountError, match="Unknown role"):
        accounts.create_user("a@example.com", "A", roles=["wizard"], password=PASSWORD)


def test_reset_token_is_single_use_and_expires(app, create_user):
    user = create_user()
    now = utcnow()
    token = accounts.issue_account_token(user, "reset", now, timedelta(hours=2))
    db.session.commit()
    row = db.session.query(AccountToken).one()
    assert row.token_hash != token and token not in row.token_hash  # stored hashed

    # Expired: two hours and a second later.
    with pytest.raises(accounts.AccountError, match="expired"):
        accounts.redeem_account_token(token, "reset", "a-new-secret-phrase", now + timedelta(hours=2, seconds=1))
    # A reset token is not an invitation token.
    with pytest.raises(accounts.AccountError):
        accounts.redeem_account_token(token, "invite", "a-new-secret-phrase", now)
    # Weak password: refused, and the link still works afterwards.
    with pytest.raises(accounts.AccountError):
        accounts.redeem_account_token(token, "reset", "password", now)
    accounts.redeem_account_token(token, "reset", "a-new-secret-phrase", now)
    db.session.commit()
    assert accounts.authenticate(user.email, "a-new-secret-phrase", now)
    with pytest.raises(accounts.AccountError, match="already been used"):
        accounts.redeem_account_token(token, "reset", "another-secret-phrase", now)


def test_a_new_reset_link_voids_the_previous_one(app, create_user):
    user = create_user()
    now = utcnow()
    first = accounts.issue_account_token(user, "reset", now, timedelta(hours=2))
    accounts.issue_account_token(user, "reset", now, timedelta(hours=2))
    assert accounts.find_account_token(first, "reset", now) is None


def test_api_tokens_are_hashed_revocable_and_track_last_use(app, create_user):
    user = create_user()
    token, clear = accounts.create_api_token(user, "ITS report")
    db.session.commit()
    assert clear.startswith("lms_") and len(clear) > 40
    stored = db.session.get(ApiToken, token.id)
    assert clear not in (stored.token_hash, stored.prefix) and stored.prefix == clear[:12]
    when = utcnow()
    assert accounts.user_for_api_token(clear, when) == user
    assert stored.last_used_at == when
    accounts.revoke_api_token(user, token.id, when)
    assert accounts.user_for_api_token(clear, when) is None


def test_a_user_cannot_revoke_someone_elses_token(app, create_user):
    owner = create_user("owner@example.com")
    other = create_user("other@example.com")
    token, _clear = accounts.create_api_token(owner, "x")
    with pytest.raises(accounts.AccountError):
        accounts.revoke_api_token(other, token.id, utcnow())
    assert token.is_active
