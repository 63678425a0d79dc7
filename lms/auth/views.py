"""Sign-in, sign-out, password reset, invitations and personal settings."""
from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_timedelta, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.auth import accounts, login_limits
from lms.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    SettingsForm,
)
from lms.auth.models import User
from lms.auth.passwords import verify_password
from lms.auth.redirects import safe_next
from lms.auth.session_person import session_ident
from lms.dbtypes import utcnow
from lms.extensions import db, limiter
from lms.notify import mail
from lms.notify.offsets import OffsetError, parse_offsets

bp = Blueprint("auth", __name__)


# The person and their roles in one statement (every page asks for the roles: navigation, access checks), and
# only while the cookie's key is current and the account active. Built once: a fresh statement and loader
# option per request were a quarter of the load (building them and their cache key).
_SIGNED_IN = (
    select(User)
    .options(joinedload(User.role_rows))
    .where(User.id == bindparam("id"), User.session_key == bindparam("key"), User.is_active)
)


def load_user(user_id: str):
    """Flask-Login loader: the cookie holds "<id>:<session_key>"; a rotated key ends the session, and so does
    deactivating the account."""
    ident = session_ident(user_id)
    if ident is None:
        return None
    return db.session.execute(_SIGNED_IN, {"id": ident[0], "key": ident[1]}).unique().scalar_one_or_none()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
# Counted per account as well as per client, so one account cannot be guessed from many IPs (login_limits).
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=login_limits.rate_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data, utcnow())
        if user is None:
            flash(_("Wrong e-mail address or password."), "danger")
        else:
            login_user(user, remember=form.remember.data)
            return login_limits.remember_device(redirect(safe_next(form.next.data, url_for("main.home"))), user.email)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    current_user.end_all_sessions()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The same answer whether or not the account exists, and the same work before it: whether the address
        # has an account is looked up only after the response has gone, for every request alike, so neither
        # the page nor its timing tells.
        response = redirect(url_for("auth.login"))
        response.call_on_close(partial(send_reset_link, current_app._get_current_object(), form.email.data,
                                       str(get_locale() or "")))
        flash(_("If an account exists for this address, we have sent it a link to choose a new password."), "info")
        return response
    return render_template("auth/forgot_password.html", form=form)


def send_reset_link(app, typed_email: str, locale: str):
    """The deferred half of a reset request: if `typed_email` is an active account, mail it a new link.

    Its own unit of work, committed here: it runs once the response is sent, after the request's (in the same
    worker, so no thread outlives it); the mail goes through the outbox like every other, so a failure is
    retried by the scheduler.
    """
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        try:
            try:
                user = User.by_email(accounts.normalise_email(typed_email))
            except accounts.AccountError:
                user = None
            if user is None or not user.is_active:
                return
            hours = app.config["RESET_TOKEN_HOURS"]
            with force_locale(user.language or locale or app.config["BABEL_DEFAULT_LOCALE"]):
                token = accounts.issue_account_token(user, "reset", utcnow(), timedelta(hours=hours))
                mail.queue(db.session, mail.build_message(
                    user.email, _("Reset your Officina 4.0 password"), "auth/email/reset_password",
                    user=user, link=mail.absolute_url("auth.reset_password", token=token), hours=hours,
                ), user_id=user.id)
            db.session.commit()
        except Exception:  # nobody is waiting for this any more: log it, never let it escape into the server
            db.session.rollback()
            app.logger.exception("Could not prepare a password reset mail")
        finally:
            db.session.remove()


def _set_password_from_link(token: str, purpose: str, template: str):
    row = accounts.find_account_token(token, purpose, utcnow())
    if row is None:
        return render_template("auth/link_invalid.html", purpose=purpose), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.redeem_account_token(token, purpose, form.password.data, utcnow())
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            login_user(user)
            flash(_("Your password is set. Welcome to Officina 4.0!"), "success")
            return redirect(url_for("main.home"))
    return render_template(template, form=form, user=row.user)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_from_link(token, "reset", "auth/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    return _set_password_from_link(token, "invite", "auth/accept_invitation.html")


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = _settings_form()
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.language = form.language.data or None
        current_user.timezone = form.timezone.data
        offered = [value for value, _label in form.reminders.choices]
        current_user.reminders_off = [label for label in offered if label not in form.reminders.data]
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.settings"))
    return _settings_page(form=form)


def _settings_form(**kwargs) -> SettingsForm:
    offsets = reminder_choices(current_app.config["REMINDER_OFFSETS"])
    wanted = [label for label, _text in offsets if label not in (current_user.reminders_off or [])]
    form = SettingsForm(obj=current_user, language=current_user.language or "", reminders=wanted, **kwargs)
    form.reminders.choices = offsets
    return form


def reminder_choices(text: str) -> list[tuple[str, str]]:
    """[("24h", "1 day before"), ...] for the configured offsets (none when the setting is unreadable)."""
    try:
        offsets = parse_offsets(text)
    except OffsetError:
        return []
    return [(label, _("%(time)s before", time=format_timedelta(delta, threshold=1.1))) for label, delta in offsets]


def _settings_page(**forms):
    # formdata=None: a form that was not the one posted starts from the account, never from another form's fields.
    forms.setdefault("form", _settings_form(formdata=None))
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("token_form", ApiTokenForm(formdata=None, prefix="token"))
    # Shown once, on the page the creation redirected to (Post/Redirect/Get), then gone from the session.
    new_token = session.pop("new_api_token", None) if request.method == "GET" else None
    return render_template("auth/settings.html", tokens=accounts.user_api_tokens(current_user),
                           new_token=new_token, **forms)


@bp.get("/settings/password")
@bp.get("/settings/tokens")
@login_required
def settings_form_pages():
    """The addresses the settings forms post to: a reload or a language switch there lands on the page."""
    return redirect(url_for("auth.settings"))


@bp.post("/settings/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                accounts.set_password(current_user, form.password.data)
            except accounts.AccountError as exc:
                form.password.errors.append(str(exc))
            else:
                login_user(current_user._get_current_object())  # this session carries the new key; every other one ends
                flash(_("Your password is changed. Other devices have been signed out."), "success")
                return redirect(url_for("auth.settings"))
    return _settings_page(password_form=form), 400


@bp.post("/settings/tokens")
@login_required
def create_token():
    form = ApiTokenForm(prefix="token")
    if not form.validate_on_submit():
        return _settings_page(token_form=form), 400
    token, clear = accounts.create_api_token(current_user, form.name.data)
    session["new_api_token"] = {"name": token.name, "token": clear}
    return redirect(url_for("auth.settings", _anchor="h-tokens"))


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    try:
        accounts.revoke_api_token(current_user, token_id, utcnow())
    except accounts.AccountError:
        abort(404)
    flash(_("The token is revoked: programs using it can no longer sign in."), "success")
    return redirect(url_for("auth.settings"))

