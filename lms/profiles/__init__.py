"""Trainer and ITS-teacher profiles, and the competence directory."""


def init_app(app):
    from lms.profiles import models, rules, views  # noqa: F401  (models: register tables)

    rules.init_hooks()  # a role with a profile brings its profile

    app.register_blueprint(views.bp)
