"""The courses blueprint and the helpers its view modules share. The pages live in learner/views_reading
(catalogue, course, module, enrolment), trainer/views_authoring and trainer/views_revisions (trainers' editor,
revisions, uploads, export) and admin/views_sync (content sync); `lms.courses.init_app` imports them, which
registers their routes on `bp`.
"""
from flask import Blueprint, url_for
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db

bp = Blueprint("courses", __name__)


def media_base(course) -> str:
    """The URL that relative paths in a course's Markdown (`media/x.svg`) resolve against."""
    return url_for("courses.media", slug=course.slug, path="_")[:-1]


def trainer_links(course) -> list[tuple[str, str | None]]:
    """[(name, profile URL or None)] of the course's trainers: the account's name if there is one, else the e-mail."""
    emails = list(course.trainer_emails or [])
    if not emails:
        return []
    # One statement for all the trainers (the course page asked once per trainer).
    keys = {email: email.strip().lower() for email in emails}  # accounts keep their e-mail in lower case
    names = dict(db.session.execute(select(User.email, User.name).where(User.email.in_(set(keys.values())))).all())
    return [(names.get(keys[email], email), url_for("profiles.by_email", email=email)) for email in emails]
