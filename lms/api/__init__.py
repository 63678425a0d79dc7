"""JSON API v1: bearer tokens, JSON errors, and an OpenAPI document."""


def init_app(app):
    # Each module adds its routes to views.bp; the API imports the features, never the reverse.
    from lms.api import assessments, courses, labs, progress, views  # noqa: F401
    from lms.extensions import csrf, limiter

    csrf.exempt(views.bp)  # bearer tokens, not cookies: there is no cross-site form to forge
    limiter.limit("600 per minute")(views.bp)
    app.register_blueprint(views.bp)
