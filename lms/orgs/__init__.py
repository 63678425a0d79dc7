"""Organisations: companies, ITS foundations and competence centres; memberships and cohorts."""


def init_app(app):
    from lms.auth import views_admin
    from lms.orgs import models, people, views  # noqa: F401

    views_admin.register_invite_organisations(people.organisation_choices, people.invite_to_organisation)
    app.register_blueprint(views.bp)
