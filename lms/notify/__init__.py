"""Notifications: e-mail built from templates, the outbox every message goes through, and the scheduler."""


def init_app(app):
    from lms.notify import cli, models, views_admin  # noqa: F401  (models: register tables)

    app.register_blueprint(views_admin.bp)
    app.cli.add_command(cli.scheduler_command)
