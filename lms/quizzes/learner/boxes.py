"""The quiz boxes the course and module pages include, and the completion gate courses asks about a module's
quiz; `lms.quizzes.init_app` registers them (a template helper and a courses hook)."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from lms.quizzes import policy, store
from lms.quizzes.learner.blueprint import quiz_url


def quiz_box(course, module=None) -> dict | None:
    """What the module page's (or course page's) quiz call to action shows; None when there is no quiz.
    Worked out once per request: a template may ask more than once."""
    boxes = request.environ.setdefault("lms.quiz_boxes", {})
    key = (course.id, module.id if module is not None else None)
    if key not in boxes:
        boxes[key] = _quiz_box(course, module)
    return boxes[key]


def _quiz_box(course, module) -> dict | None:
    quiz, live, gradable = policy.quiz_with_counts(course, store.quiz_key(module))
    if not live:
        return None
    box = {"quiz": quiz, "url": quiz_url(quiz), "settings": policy.settings_sentence(quiz, gradable),
           "history": [], "passed": False, "counted": None, "in_progress": None}
    if current_user.is_authenticated:
        history = policy.attempts_of(current_user, quiz)
        box["history"] = history
        box["passed"] = any(a.passed for a in history)
        box["counted"] = policy.counted_score(current_user, quiz, history)
        box["in_progress"] = next((a for a in history if a.state == "in_progress"), None)
    return box


def module_quiz_gate(course, module):
    """Registered with courses (enrolment.register_completion_gate): a module with a quiz is completed by
    passing it, not by the "done" button. The same test as the box's: the quiz has live questions."""
    quiz, live, _gradable = policy.quiz_with_counts(course, store.quiz_key(module))
    if not live:
        return None
    return _("Pass this module's quiz to complete it."), quiz_url(quiz)


def quiz_context():
    """Template helpers: module_quiz_box(module) and final_quiz_box(course) for the partials."""
    return {"module_quiz_box": lambda module: quiz_box(module.course, module),
            "final_quiz_box": lambda course: quiz_box(course)}
