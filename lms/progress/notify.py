"""The certificate e-mail: queued in the transaction that completes the course, so it leaves only if that
commits (lms.notify.mail). Sent for completions that happen as a learner works, not for bulk recomputes."""
from contextlib import nullcontext

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from lms.auth.models import User
from lms.extensions import db
from lms.notify import mail
from lms.progress.rules import format_code


def notify_certificates(certificates):
    if not has_app_context():
        return
    for certificate in certificates:
        user = db.session.get(User, certificate.user_id)
        if user is None or not user.is_active:
            continue
        # Outside a request (a job, the CLI, a test) the templates still need one for their context processors.
        request = nullcontext() if has_request_context() else current_app.test_request_context(
            base_url=current_app.config["BASE_URL"])
        with request, force_locale(user.language or certificate.language or "en"):
            mail.queue(db.session, mail.build_message(
                user.email, _("Your certificate: %(title)s", title=certificate.course_title),
                "progress/email/certificate", user=user, certificate=certificate,
                code=format_code(certificate.code), date=format_date(certificate.completed_at, "long"),
                verify_url=mail.absolute_url("progress.verify", code=certificate.code),
                learning_url=mail.absolute_url("progress.learning")),
                key=f"certificate:{certificate.user_id}:{certificate.course_id}", user_id=user.id)
