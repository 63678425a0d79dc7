"""`lms content ...`: load course and lab files."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.courses import search, sync
from lms.extensions import db

_courses = click.option("--courses", "courses_dir", type=click.Path(file_okay=False),
                        help="Folder of course folders (default: COURSES_DIR, the project's courses/).")
_labs = click.option("--labs", "labs_dir", type=click.Path(file_okay=False),
                     help="Folder of lab files (default: LABS_DIR, the project's labs/).")


# Functions (content) -> ["path:line: message"] that check other features' files against the shipped courses
# and labs (the assessment's learning paths); `lms content check` runs them on the configured folders.
SHIPPED_CONTENT_CHECKS: list = []


def _folders(courses_dir, labs_dir):
    return (courses_dir or current_app.config["COURSES_DIR"], labs_dir or current_app.config["LABS_DIR"])


def _fail(errors):
    for error in errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(errors)} problem(s) found; nothing was written.", err=True)
    raise SystemExit(1)


@click.group()
def content():
    """Load and check course and lab files."""


@content.command("sync")
@_courses
@_labs
@click.option("--force", is_flag=True,
              help="Take the file's version of a module that was also edited in the browser.")
@with_appcontext
def sync_command(courses_dir, labs_dir, force):
    """Load or refresh course and lab files (idempotent).

    Every file is checked first: on any error each one is printed as path:line: message, the exit code
    is 1 and nothing is written. Otherwise everything is applied in one transaction.
    """
    courses_dir, labs_dir = _folders(courses_dir, labs_dir)
    try:
        report = sync.sync_content(courses_dir, labs_dir, force=force)
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
@_courses
@_labs
@with_appcontext
def check_command(courses_dir, labs_dir):
    """Check course and lab files without writing anything (exit code 1 on any error).

    With the configured folders, also checks what other features point at in them (the assessment's paths).
    """
    shipped = _folders(None, None)
    courses_dir, labs_dir = _folders(courses_dir, labs_dir)
    result = sync.check_content(courses_dir, labs_dir)
    errors = list(result.errors)
    if not errors and (Path(courses_dir).resolve(), Path(labs_dir).resolve()) == tuple(
            Path(p).resolve() for p in shipped):
        for check in SHIPPED_CONTENT_CHECKS:
            errors.extend(check(result))
    if errors:
        _fail(errors)
    modules = sum(len(course.modules) for course in result.courses)
    click.echo(f"All content is valid: {len(result.courses)} courses ({modules} modules), {len(result.labs)} labs.")


@content.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the full-text search index of every course."""
    count = search.reindex_all()
    db.session.commit()
    click.echo(f"Reindexed {count} courses.")
