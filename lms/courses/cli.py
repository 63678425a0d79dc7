"""`lms content ...`: load course and lab files."""
import click


@click.group()
def content():
    """Load and check course and lab files."""
