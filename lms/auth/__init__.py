"""Accounts, roles, sign-in, invitations, password reset and API tokens."""
from flask_babel import lazy_gettext as _l

from lms.extensions import login_manager


def init_app(app):
    from lms.auth import cli, models, views, views_admin  # noqa: F401  (models: register tables)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(views.load_user)
    app.register_blueprint(views.bp)
    app.register_blueprint(views_admin.bp)
    app.cli.add_command(cli.users)
    from lms.auth.roles import role_label

    app.jinja_env.filters["role_label"] = role_label
