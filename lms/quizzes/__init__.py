"""Quizzes: GIFT import/export, questions, attempts and grading."""


def init_app(app):
    from lms.content import loading
    from lms.courses import enrolment, export
    from lms.quizzes import cli, loader, models, trainer_review, trainer_transfer, trainer_views, views  # noqa: F401  (models: register tables)  # noqa: F401  (their routes)
    from lms.quizzes.gift_export import course_gift_files
    from lms.quizzes.trainer_blueprint import bp as trainer_bp

    loading.register(loader.LOADER)
    export.register_quiz_files(course_gift_files)
    enrolment.register_completion_gate(views.module_quiz_gate)
    app.register_blueprint(views.bp)
    app.register_blueprint(trainer_bp)
    app.cli.add_command(cli.quiz)
    app.context_processor(views.quiz_context)
