"""Courses: the catalogue, the courses loader (courses/ folder -> database), reading, enrolment, authoring.

The rules are the modules here; the pages are on the one ``courses`` blueprint (blueprint.py), in view modules
named views_* and grouped by who uses them: learner/ (reading), trainer/ (authoring, revisions), admin/ (content
sync). `init_app` imports them, which adds their routes to the blueprint.
"""


def init_app(app):
    from lms.content import loading
    from lms.content.cli import content

    # models registers the tables; each views_* module adds its routes to bp.
    from lms.courses import cli, loader, models  # noqa: F401
    from lms.courses.admin import views_sync  # noqa: F401
    from lms.courses.blueprint import bp
    from lms.courses.learner import views_reading  # noqa: F401
    from lms.courses.trainer import views_authoring, views_revisions  # noqa: F401

    loading.register(loader.LOADER)
    app.register_blueprint(bp)
    content.add_command(cli.reindex_command)
