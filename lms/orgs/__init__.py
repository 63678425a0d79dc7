"""Organisations: companies, ITS foundations and competence centres; memberships and cohorts."""


def init_app(app):
    from lms.orgs import models, views  # noqa: F401

    app.register_blueprint(views.bp)
