"""Courses: the catalogue, the content loader (courses/ folder <-> database), reading, enrolment, authoring."""


def init_app(app):
    from lms.courses import cli, models, views  # noqa: F401  (models: register tables)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.content)
