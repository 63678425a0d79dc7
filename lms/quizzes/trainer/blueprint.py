"""The trainer's quiz pages' blueprint (``quiz_authoring``); views_editing, views_review and views_transfer
add their routes to it, and `lms.quizzes.init_app` imports them."""
from flask import Blueprint, url_for

from lms.quizzes.labels import KIND_LABELS, QTYPE_LABELS, type_label
from lms.quizzes.models import Quiz
from lms.render import render

bp = Blueprint("quiz_authoring", __name__, url_prefix="/authoring/quizzes")


@bp.context_processor
def _template_helpers():
    return {"render_text": render, "type_label": type_label, "qtype_labels": QTYPE_LABELS,
            "kind_labels": KIND_LABELS}


def quiz_url(quiz: Quiz, endpoint: str = "quiz_authoring.quiz", **kwargs) -> str:
    return url_for(endpoint, slug=quiz.course.slug, quiz_id=quiz.id, **kwargs)
