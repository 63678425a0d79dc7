"""`lms quiz ...`: GIFT import and export from the command line."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.courses.models import Course
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.quizzes import gift_export
from lms.quizzes.gift_import import ImportRefused, find_module, import_gift_text


def _fail(lines, summary=None):
    for line in lines:
        click.echo(str(line), err=True)
    if summary:
        click.echo(summary, err=True)
    raise SystemExit(1)


def _course(slug):
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        _fail([f"No course '{slug}'. `lms content sync` loads the courses folder."])
    return course


@click.group()
def quiz():
    """Import and export quizzes in Moodle's GIFT format."""


@quiz.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", "course_slug", required=True, help="The course's slug.")
@click.option("--module", "module_slug", help="Import into this module's quiz.")
@click.option("--final", is_flag=True, help="Import into the course's final quiz.")
@with_appcontext
def import_gift(file, course_slug, module_slug, final):
    """Replace the questions of a quiz with those of a GIFT FILE.

    Give --module SLUG for a module's quiz or --final for the course's final quiz. With neither, FILE must
    be a whole-course file as `export-gift` prints it: each question under
    `$CATEGORY: <course-slug>/<module-slug>` (or `<course-slug>/final`) goes to that quiz.

    Questions that did not change keep their statistics; questions no longer in the file are archived
    (past attempts keep them). On any problem every one is printed as path:line: message, the exit code
    is 1 and nothing is written.
    """
    if module_slug and final:
        _fail(["Give --module or --final, not both."])
    course = _course(course_slug)
    module = None
    if module_slug:
        module = find_module(course, module_slug)
        if module is None:
            slugs = ", ".join(m.slug for m in course.live_modules) or "none"
            _fail([f"The course '{course.slug}' has no module '{module_slug}' (modules: {slugs})."])
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail([f"{file}:1: not valid UTF-8; save the file as UTF-8"], "nothing was written.")
    try:
        results = import_gift_text(course, text, str(file), utcnow(), module=module, final=final)
    except ImportRefused as exc:
        db.session.rollback()
        _fail(exc.errors, f"{len(exc.errors)} problem(s) found; nothing was written.")
    db.session.commit()
    for target, result in results:
        click.echo(f"{target.title}: {result.added} added, {result.kept} unchanged, {result.archived} archived "
                   f"({len(target.live_questions)} questions).")


@quiz.command("export-gift")
@click.option("--course", "course_slug", required=True, help="The course's slug.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one NN-<module-slug>.gift per quiz (and final.gift) into this folder.")
@with_appcontext
def export_gift(course_slug, out_dir):
    """Export a course's quizzes in GIFT format.

    Without --out, one text on standard output, each quiz under `$CATEGORY: <course-slug>/<module-slug>`
    (`<course-slug>/final` for the final quiz): Moodle files each quiz in its own category, and
    `import-gift FILE --course SLUG` reads it back. With --out DIR, one file per quiz, named as the course
    folder names them, ready for `lms content sync`.
    """
    course = _course(course_slug)
    if out_dir is None:
        click.echo(gift_export.course_gift_single(course), nl=False)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    files = gift_export.course_gift_files(course)
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        click.echo(str(out_dir / name))
    if not files:
        click.echo(f"The course '{course.slug}' has no quiz questions to export.", err=True)
