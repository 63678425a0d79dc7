"""Learner progress: completion rules, dashboards, gradebook, organisation reports, exports, certificates.

The blueprint lives in lms/progress/blueprint.py so the view modules import it without importing this package
back; `init_app` imports the view modules (their routes join the blueprint) and the API routes.
"""


def init_app(app):
    from lms.api import progress as api_progress  # noqa: F401  (routes on the API blueprint, registered after this)
    from lms.progress import completion, models, views_learner, views_public, views_reports, views_trainer  # noqa: F401  (models: register the tables)  # noqa: F401  (routes on bp)
    from lms.progress.blueprint import bp

    completion.init_app(app)
    app.register_blueprint(bp)
