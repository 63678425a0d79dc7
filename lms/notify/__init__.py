"""Notifications: e-mail built from templates, the outbox every message goes through, and the scheduler."""


def init_app(app):
    from lms.notify import admin_views, cli, models  # noqa: F401  (models: register tables)

    app.register_blueprint(admin_views.bp)
    app.cli.add_command(cli.scheduler_command)
