"""Courses: the catalogue, the courses loader (courses/ folder -> database), reading, enrolment, authoring."""


def init_app(app):
    from lms.content import loading
    from lms.content.cli import content
    from lms.courses import admin_views, authoring_views, cli, loader, models, reading_views, revision_views  # noqa: F401  (models: register tables)  # noqa: F401  (routes)
    from lms.courses.blueprint import bp

    loading.register(loader.LOADER)
    app.register_blueprint(bp)
    content.add_command(cli.reindex_command)
