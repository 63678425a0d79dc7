"""Admin pages for people: list, invite, roles, deactivation."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from lms.auth import accounts
from lms.auth.decorators import admin_required
from lms.auth.forms import InviteForm, UserEditForm
from lms.auth.invitations import send_invitation
from lms.auth.models import ROLES, User, UserRole
from lms.auth.roles import role_choices
from lms.dbtypes import utcnow
from lms.extensions import db

bp = Blueprint("users_admin", __name__, url_prefix="/admin/users")
PER_PAGE = 50

# The invite form's "organisation" field belongs to the organisations feature (which imports auth), so it
# registers it from its init_app: choices() -> [(id, name)], and invite(email, name, role, organisation_id or
# None, membership_role, now, lifetime) -> (user, token or None, organisation or None), raising AccountError.
INVITE_ORGANISATIONS: dict = {}


def register_invite_organisations(choices, invite) -> None:
    INVITE_ORGANISATIONS.update(choices=choices, invite=invite)


@bp.get("/")
@admin_required
def index():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    query = select(User).order_by(func.lower(User.name))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    if role in ROLES:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("auth/admin/users.html", page=page, q=q, role=role, roles=ROLES)


def _invite_form():
    form = InviteForm()
    form.role.choices = role_choices()
    form.organisation.choices = [(0, _("— none —"))] + INVITE_ORGANISATIONS["choices"]()
    return form


@bp.route("/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = _invite_form()
    if request.method == "GET" and request.args.get("organisation", "").isdigit():
        form.organisation.data = int(request.args["organisation"])
    if form.validate_on_submit():
        lifetime = timedelta(days=current_app.config["INVITE_TOKEN_DAYS"])
        try:
            user, token, organisation = INVITE_ORGANISATIONS["invite"](
                form.email.data, form.name.data, form.role.data, form.organisation.data or None,
                form.membership.data, utcnow(), lifetime)
        except accounts.AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            if token:
                send_invitation(user, token, organisation)
                message = _("Invitation sent to %(email)s.", email=user.email)
            else:
                message = _("%(email)s already had an account: the role and membership were added.", email=user.email)
            flash(message, "success")
            if organisation is not None:
                return redirect(url_for("orgs.detail", org_id=organisation.id))
            return redirect(url_for("users_admin.index"))
    return render_template("auth/admin/invite.html", form=form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        roles = [r for r in request.form.getlist("roles") if r in ROLES]
        if user.id == current_user.id and "admin" not in roles:
            flash(_("You cannot remove your own admin role."), "danger")
            return redirect(url_for("users_admin.edit", user_id=user.id))
        if user.id == current_user.id and user.is_active and not form.is_active.data:
            flash(_("You cannot deactivate yourself."), "danger")  # checked before any change: a redirect commits
            return redirect(url_for("users_admin.edit", user_id=user.id))
        user.name = form.name.data.strip()
        user.set_roles(roles or ["learner"])
        if user.is_active and not form.is_active.data:
            accounts.deactivate(user, utcnow())
        elif form.is_active.data:
            user.is_active = True
        flash(_("Saved."), "success")
        return redirect(url_for("users_admin.edit", user_id=user.id))
    return render_template("auth/admin/edit.html", user=user, form=form, roles=ROLES)


@bp.post("/<int:user_id>/resend-invitation")
@admin_required
def resend_invitation(user_id):
    user = db.session.get(User, user_id) or abort(404)
    if user.has_password:
        flash(_("%(name)s has already set a password.", name=user.name), "info")
    else:
        token = accounts.issue_account_token(
            user, "invite", utcnow(), timedelta(days=current_app.config["INVITE_TOKEN_DAYS"]))
        send_invitation(user, token)
        flash(_("Invitation sent again to %(email)s.", email=user.email), "success")
    return redirect(url_for("users_admin.edit", user_id=user.id))
