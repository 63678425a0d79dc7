"""The invitation e-mail, shared by the admin invite form and bulk enrolment."""
from flask import current_app
from flask_babel import gettext as _

from lms.extensions import db
from lms.notify import mail


def send_invitation(user, token: str, organisation=None):
    """Queue the invitation mail; it leaves when the caller commits."""
    mail.queue(db.session, mail.build_message(
        user.email, _("You are invited to Officina 4.0"), "auth/email/invitation",
        user=user, organisation=organisation, days=current_app.config["INVITE_TOKEN_DAYS"],
        link=mail.absolute_url("auth.accept_invitation", token=token),
    ))
