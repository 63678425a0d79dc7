"""`lms scheduler`: the reminder and mail scheduler, in the foreground."""
import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("scheduler")
@click.option("--interval", type=int, default=None, help="Seconds between runs (default LMS_SCHEDULER_INTERVAL).")
@click.option("--once", is_flag=True, help="Send what is due once and exit (for cron or a check).")
@with_appcontext
def scheduler_command(interval, once):
    """Send due reminders and mail from the outbox until SIGTERM; safe to run in several processes."""
    from lms.notify import scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    if once:
        result = scheduler.run_once(app)
        click.echo(f"Sent {result.sent}, will retry {result.retried}, failed {result.failed}.")
        return
    scheduler.run_forever(app, interval)
