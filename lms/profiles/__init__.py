"""Trainer and ITS-teacher profiles, and the competence directory."""


def init_app(app):
    from lms.profiles import models, views  # noqa: F401  (models: register tables)

    app.register_blueprint(views.bp)
