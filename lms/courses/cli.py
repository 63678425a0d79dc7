"""`lms content reindex`: the courses' part of the `lms content` commands (sync and check are the content core's)."""
import click
from flask.cli import with_appcontext

from lms.courses import search
from lms.extensions import db


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the full-text search index of every course."""
    count = search.reindex_all()
    db.session.commit()
    click.echo(f"Reindexed {count} courses.")
