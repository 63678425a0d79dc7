"""`lms backup` and `lms restore`: the database and the uploaded files, in one archive."""
import click
from flask import current_app
from flask.cli import with_appcontext

from lms.extensions import db
from lms.ops import backup


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The archive to write (.tar.gz); written under a temporary name, then renamed.")
@click.option("--format", "method", type=click.Choice(["auto", "native", "portable"]), default="auto",
              show_default=True, help="native: SQLite's backup API or pg_dump; portable: every table as JSON "
              "lines, restorable into SQLite or PostgreSQL; auto: native when it can.")
@with_appcontext
def backup_command(out, method):
    """Back up the database and the uploaded files into one archive, while the app runs."""
    try:
        manifest = backup.backup(db.engine, db.metadata, current_app.config["UPLOAD_DIR"], out, method)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    click.echo(f"Backed up {rows} rows ({manifest['method']}) and {manifest['uploads']} uploaded files to {out}.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database and uploads that already have content.")
@with_appcontext
def restore_command(archive, force):
    """Restore ARCHIVE (from lms backup) into this instance: a fresh database and upload folder, unless --force.
    Stop the app and the scheduler first; afterwards run `lms db upgrade` if this code is newer."""
    from flask_migrate import upgrade

    def upgrade_to(revision):
        upgrade(revision=revision or "head")

    try:
        manifest = backup.restore(db.engine, db.metadata, current_app.config["UPLOAD_DIR"], archive,
                                  upgrade_to=upgrade_to, force=force)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if manifest["method"] == "portable":
        from lms.courses import search

        search.reindex_all()  # the full-text index is not part of a portable dump
        db.session.commit()
    rows = sum(manifest["tables"].values())
    click.echo(f"Restored {rows} rows and {manifest['uploads']} uploaded files from the backup of "
               f"{manifest['created_at']}.")
