from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from lms.auth.redirects import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:  # a signed-in person's home is their dashboard (lms.progress)
        from lms.progress.views_learner import dashboard

        return dashboard()
    from lms.courses.catalogue import featured_courses
    from lms.courses.forms import AUDIENCE_LABELS

    courses = featured_courses(limit=6, language=str(get_locale()))  # a visitor's home: nobody's progress
    return render_template("main/home.html", courses=courses, audiences=AUDIENCE_LABELS, progress={})


@bp.post("/language")
def set_language():
    """The language switch: remembered on the account, or in the session for visitors."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
