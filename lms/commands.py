"""The application-wide `lms` commands (`run`, `demo`); each feature registers its own in its init_app.

create_app() registers these; the console script itself is lms/cli.py, which imports create_app (so this
module must not import the package: no import circle)."""
import ipaddress
import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", 5000)), show_default="$PORT or 5000")
@click.option("--debug/--no-debug", default=False, help="Reload on code changes and show tracebacks.")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Run the reminder scheduler inside this process (production runs `lms scheduler` instead).")
@with_appcontext
def run_command(host, port, debug, scheduler):
    """Serve the application for local use (the development server), with the scheduler embedded."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if not app.config.get("BASE_URL_IS_EXPLICIT"):
        app.config["BASE_URL"] = dev_base_url(host, port)
    background = None
    # With the reloader, only the child process that serves runs the scheduler.
    if scheduler and (not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"):
        from lms.notify.scheduler import start_background

        background = start_background(app)
    click.echo(f"Officina 4.0 on http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        # run_simple, not app.run(): Flask ignores app.run() inside its own CLI.
        run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)
    finally:
        if background is not None:
            background.shutdown(wait=False)


def dev_base_url(host: str, port: int) -> str:
    """The address e-mailed links and API `url` fields use under `lms run` when LMS_BASE_URL is not set."""
    if not host or _is_every_interface(host):  # this machine is reachable at least here
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _is_every_interface(host: str) -> bool:
    """0.0.0.0, ::, or any other spelling of "every interface"."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a host name
        return False


@click.command("demo")
@click.option("--learners", default=12, show_default=True, help="How many demo learners to add.")
@with_appcontext
def demo_command(learners):
    """Add demo organisations, one account per role and LEARNERS learners with enrolments, progress, quiz
    attempts and lab bookings (once; a second run adds only what is missing). 10,000 learners take seconds."""
    from lms.demo import create_demo

    with click.progressbar(length=max(1, learners * 8), label="Demo data", file=None) as bar:
        lines = create_demo(learners=learners, tick=bar.update)
        bar.update(bar.length)  # the estimate is rough: end at 100%
    for line in lines:
        click.echo(line)


def init_app(app):
    app.cli.add_command(run_command)
    app.cli.add_command(demo_command)
