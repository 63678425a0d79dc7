"""Quizzes: GIFT import/export, questions, attempts and grading.

The rules are the modules here; the pages are in two sub-packages, each with its blueprint in blueprint.py and
its view modules named views_*: learner/ (taking a quiz, the quiz boxes of the course pages) and trainer/
(editing, review, GIFT transfer). `init_app` imports the view modules, which add their routes to the blueprints.
"""


def init_app(app):
    from lms.content import loading
    from lms.courses import enrolment, export

    # models registers the tables; each views_* module adds its routes to its blueprint.
    from lms.quizzes import cli, loader, models  # noqa: F401
    from lms.quizzes.gift_export import course_gift_files
    from lms.quizzes.learner import boxes, views_taking  # noqa: F401
    from lms.quizzes.learner.blueprint import bp as learner_bp
    from lms.quizzes.trainer import views_editing, views_review, views_transfer  # noqa: F401
    from lms.quizzes.trainer.blueprint import bp as trainer_bp

    loading.register(loader.LOADER)
    export.register_quiz_files(course_gift_files)
    enrolment.register_completion_gate(boxes.module_quiz_gate)
    app.register_blueprint(learner_bp)
    app.register_blueprint(trainer_bp)
    app.cli.add_command(cli.quiz)
    app.context_processor(boxes.quiz_context)
