"""The learner's quiz pages' blueprint (``quizzes``); views_taking adds its routes to it and
`lms.quizzes.init_app` imports it."""
from flask import Blueprint, url_for

from lms.quizzes.models import Quiz

bp = Blueprint("quizzes", __name__)


def quiz_url(quiz: Quiz, endpoint: str = "quizzes.module_quiz") -> str:
    """The address of a quiz's page for learners (a module's quiz or the course's final quiz); ``endpoint`` names
    the module form of another page (``quizzes.start_module_quiz``), whose final form it stands for too."""
    if quiz.module is None:
        return url_for(endpoint.replace("module_quiz", "final_quiz"), slug=quiz.course.slug)
    return url_for(endpoint, slug=quiz.course.slug, module_slug=quiz.module.slug)
