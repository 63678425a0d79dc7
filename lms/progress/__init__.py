"""Learner progress: completion rules, dashboards, gradebook, organisation reports, exports, certificates.

The blueprint lives in lms/progress/blueprint.py so the view modules import it without importing this package
back; `init_app` imports the view modules (their routes join the blueprint). Its API routes are lms/api/progress.py.
"""


def init_app(app):
    # models registers the tables; views_* add their routes.
    from lms.content import loading
    from lms.courses import enrolment
    from lms.progress import (  # noqa: F401
        completion,
        loader,
        models,
        queries,
        views_learner,
        views_public,
        views_reports,
        views_trainer,
    )
    from lms.progress.blueprint import bp
    from lms.progress.cli import progress

    completion.init_app(app)
    enrolment.register_progress(completion.changed, queries.course_progress)
    loading.register(loader.LOADER)
    app.register_blueprint(bp)
    app.cli.add_command(progress)
