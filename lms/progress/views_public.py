"""The public verification page of a certificate: only the name, the course and the date."""
from flask import render_template, request
from sqlalchemy import select

from lms.extensions import db, limiter
from lms.progress import rules
from lms.progress.blueprint import bp
from lms.progress.models import Certificate


@bp.get("/verify")
@limiter.limit("60 per minute")  # codes are ~59 bits; the limit keeps guessing pointless and cheap
def verify():
    typed = request.args.get("code", "")
    code = rules.normalise_code(typed)
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code)) if code else None
    status = 200 if certificate or not typed else 404
    return render_template("progress/verify.html", certificate=certificate, typed=typed[:64],
                           code=rules.format_code(code) if code else ""), status
