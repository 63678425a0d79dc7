"""Courses: the catalogue, the content loader (courses/ folder <-> database), reading, enrolment, authoring."""


def init_app(app):
    from lms.courses import admin_views, authoring_views, cli, models, reading_views, revision_views  # noqa: F401  (models: register tables)  # noqa: F401  (routes)
    from lms.courses.blueprint import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.content)
