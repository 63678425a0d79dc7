"""`lms content sync` and `lms content check`, over every registered loader's folder."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.content import loading
from lms.extensions import db


def _fail(errors):
    for error in errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(errors)} problem(s) found; nothing was written.", err=True)
    raise SystemExit(1)


def _folders(given: dict) -> dict:
    """Each registered folder: the one given on the command line, or the configured one."""
    return {name: given.get(name) or path for name, path in loading.configured_folders(current_app.config).items()}


@click.group()
def content():
    """Load and check the content files (course folders, lab files)."""


@content.command("sync")
@click.option("--force", is_flag=True,
              help="Take the file's version of a module or quiz that was also edited in the browser.")
@with_appcontext
def sync_command(force, **folders):
    """Load or refresh the content files (idempotent).

    Every file is checked first: on any error each one is printed as path:line: message, the exit code
    is 1 and nothing is written. Otherwise everything is applied in one transaction.
    """
    try:
        report = loading.sync_content(force=force, **_folders(folders))
    except Exception:
        db.session.rollback()
        raise
    if report.errors:
        db.session.rollback()
        _fail(report.errors)
    db.session.commit()
    for line in report.lines():
        click.echo(line)


@content.command("check")
@with_appcontext
def check_command(**folders):
    """Check the content files without writing anything (exit code 1 on any error).

    With the configured folders, also checks what other features point at in them (the assessment's paths).
    """
    configured, given = _folders({}), _folders(folders)
    shipped = all(Path(given[name]).resolve() == Path(configured[name]).resolve() for name in given)
    result = loading.check_content(shipped=shipped, **given)
    if result.errors:
        _fail(result.errors)
    click.echo(f"All content is valid: {result.describe()}.")


def add_folder_options():
    """A `--<folder> DIR` option on sync and check for each registered folder (once, however many apps)."""
    for command in (sync_command, check_command):
        names = {param.name for param in command.params}
        for position, loader in enumerate(loading.folders()):
            if loader.folder not in names:
                command.params.insert(position, click.Option(
                    [f"--{loader.folder}", loader.folder], type=click.Path(file_okay=False), help=loader.folder_help))
