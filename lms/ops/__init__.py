"""Running the platform in production: health and readiness for the proxy, request ids and structured logs,
the proxy's forwarded headers, and backup/restore."""


def init_app(app):
    from lms.ops import cli, health, logs, proxy, static

    logs.init_app(app)
    proxy.init_app(app)
    static.init_app(app)
    app.register_blueprint(health.bp)
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)
