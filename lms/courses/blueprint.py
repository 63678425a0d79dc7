"""The courses blueprint and the helpers its view modules share. The pages live in reading_views (catalogue,
course, module, enrolment), authoring_views and revision_views (trainers' editor, revisions,
uploads, export) and admin_views (content sync); `lms.courses.init_app` imports them, which registers their
routes on `bp`.
"""
from flask import Blueprint, url_for

from lms.auth.models import User

bp = Blueprint("courses", __name__)


def media_base(course) -> str:
    """The URL that relative paths in a course's Markdown (`media/x.svg`) resolve against."""
    return url_for("courses.media", slug=course.slug, path="_")[:-1]


def trainer_links(course) -> list[tuple[str, str | None]]:
    """[(name, profile URL or None)] of the course's trainers: the account's name if there is one, else the e-mail."""
    links = []
    for email in course.trainer_emails or []:
        user = User.by_email(email)
        links.append((user.name if user is not None else email, url_for("profiles.by_email", email=email)))
    return links
