"""Learner progress: completion rules, dashboards, gradebook, organisation reports, exports, certificates.

The blueprint lives in lms/progress/blueprint.py so the view modules import it without importing this package
back; `init_app` imports the view modules (their routes join the blueprint) and the API routes.
"""


def init_app(app):
    # models registers the tables; views_* and lms.api.progress add their routes (the API blueprint is
    # registered after this feature).
    from lms.api import progress as api_progress  # noqa: F401
    from lms.content import loading
    from lms.progress import (  # noqa: F401
        completion,
        loader,
        models,
        views_learner,
        views_public,
        views_reports,
        views_trainer,
    )
    from lms.progress.blueprint import bp
    from lms.progress.cli import progress

    completion.init_app(app)
    loading.register(loader.LOADER)
    app.register_blueprint(bp)
    app.cli.add_command(progress)
