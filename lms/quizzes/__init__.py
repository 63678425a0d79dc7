"""Quizzes: GIFT import/export, questions, attempts and grading."""


def init_app(app):
    from lms.courses import files, sync
    from lms.quizzes import cli, content, models, trainer_review, trainer_transfer, trainer_views, views  # noqa: F401  (models: register tables)  # noqa: F401  (their routes)
    from lms.quizzes.trainer_blueprint import bp as trainer_bp

    # The hook lists are module-level: register once even when several apps are made (tests).
    if content.check_course_quizzes not in files.QUIZ_CHECK_HOOKS:
        files.QUIZ_CHECK_HOOKS.append(content.check_course_quizzes)
    if content.sync_course_quizzes not in sync.QUIZ_SYNC_HOOKS:
        sync.QUIZ_SYNC_HOOKS.append(content.sync_course_quizzes)
    app.register_blueprint(views.bp)
    app.register_blueprint(trainer_bp)
    app.cli.add_command(cli.quiz)
    app.context_processor(views.quiz_context)
