"""The learner's own pages: "my learning" (progress, next step, quiz results, bookings, certificates) and the
certificate PDF."""
from flask import render_template, url_for
from flask_babel import format_date, gettext
from flask_login import current_user, login_required

from lms.dbtypes import utcnow
from lms.http import attachment
from lms.ids import get_or_404
from lms.notify.mail import absolute_url
from lms.pagecache import cached_page
from lms.progress import certificates, detail, own
from lms.progress.blueprint import bp
from lms.progress.models import Certificate


def learner_context(now):
    """What "my learning" and the signed-in home show of the person's own progress (lms.progress.own)."""
    rows = own.rows(current_user, now)
    next_steps = own.next_steps(current_user.id, rows)
    # "Continue where you left off": the incomplete course with the latest activity
    current = max((r for r in rows if not r.is_complete and next_steps.get(r.course_id)),
                  key=lambda r: r.last_activity or r.enrolled_at, default=None)
    return {"rows": rows, "next_steps": next_steps, "current": current, "now": now,
            "upcoming": detail.upcoming_bookings(current_user.id, now),
            "certificates": detail.certificates_of(current_user.id)}


@bp.get("/me")
@login_required
@cached_page
def learning():
    context = learner_context(utcnow())
    attempts = own.attempts_by_course(current_user.id, [r.course_id for r in context["rows"]])
    return render_template("progress/learning.html", quiz_attempts=attempts, **context)


def get_certificate_or_404(certificate_id: int, for_user) -> Certificate:
    """The certificate's owner and admins; anyone else a 404."""
    return get_or_404(Certificate, certificate_id, lambda row: for_user.is_admin or row.user_id == for_user.id)


def certificate_file(certificate: Certificate) -> bytes:
    text = certificates.CertificateText(
        heading=gettext("Certificate of completion"), awarded_to=gettext("This certifies that"),
        completed=gettext("has completed the course"),
        on_date=gettext("on %(date)s", date=format_date(certificate.completed_at, "long")),
        verify=gettext("Check this certificate at"), code_label=gettext("Verification code"))
    verify_url = absolute_url("progress.verify", code=certificate.code)
    return certificates.certificate_pdf(certificate.learner_name, certificate.course_title, certificate.code,
                                        verify_url, text)


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def certificate(certificate_id):
    row = get_certificate_or_404(certificate_id, current_user)
    name = f"certificate-{row.course.slug}-{row.code}.pdf"
    return attachment(certificate_file(row), name, "application/pdf")


def certificate_url(row: Certificate) -> str:
    return url_for("progress.certificate", certificate_id=row.id)


def dashboard():
    """The signed-in home (called by main.home): a section per role the person has."""
    from lms.progress.dashboards import home_context

    now = utcnow()
    return render_template("progress/home.html", **learner_context(now), **home_context(current_user, now))
