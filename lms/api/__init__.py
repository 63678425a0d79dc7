"""JSON API v1: bearer tokens, JSON errors, and an OpenAPI document."""


def init_app(app):
    from lms.api import courses, labs, views  # noqa: F401  (courses, labs: routes on views.bp)
    from lms.extensions import csrf, limiter

    csrf.exempt(views.bp)  # bearer tokens, not cookies: there is no cross-site form to forge
    limiter.limit("600 per minute")(views.bp)
    app.register_blueprint(views.bp)
