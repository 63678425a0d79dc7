"""`lms progress ...`: maintenance of the progress figures."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

progress = AppGroup("progress", help="Learner progress: completions, figures and certificates.")


@progress.command("recompute")
def recompute_command():
    """Recompute every enrolment's completion and figures from the records (after an upgrade or a repair);
    issues the certificates that are due. Idempotent."""
    from lms.courses.models import Course
    from lms.dbtypes import utcnow
    from lms.extensions import db
    from lms.progress import completion

    ids = list(db.session.scalars(select(Course.id)))
    with click.progressbar(ids, label="Courses") as bar:
        issued = sum(len(completion.recompute([course_id], utcnow())) for course_id in bar)
    db.session.commit()
    click.echo(f"{len(ids)} courses recomputed; {issued} certificates issued.")
