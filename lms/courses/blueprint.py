"""The courses blueprint. Its pages live in reading_views (catalogue, course, module, enrolment, my learning),
authoring_views (trainers' editor, revisions, uploads, export) and admin_views (content sync); importing them
here registers their routes on `bp`.
"""
from flask import Blueprint, current_app, url_for

from lms.auth.models import User

bp = Blueprint("courses", __name__)


def media_base(course) -> str:
    """The URL that relative paths in a course's Markdown (`media/x.svg`) resolve against."""
    return url_for("courses.media", slug=course.slug, path="_")[:-1]


def trainer_links(course) -> list[tuple[str, str | None]]:
    """[(name, profile URL or None)] of the course's trainers: the account's name if there is one, else the e-mail."""
    has_profiles = "profiles.by_email" in current_app.view_functions
    links = []
    for email in course.trainer_emails or []:
        user = User.by_email(email)
        name = user.name if user is not None else email
        links.append((name, url_for("profiles.by_email", email=email) if has_profiles else None))
    return links


from lms.courses import admin_views, authoring_views, reading_views  # noqa: E402, F401  (register the routes)
