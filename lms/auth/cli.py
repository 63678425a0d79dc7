"""`lms users ...`: accounts from the command line."""
import click
from flask.cli import with_appcontext

from lms.auth import accounts
from lms.auth.models import ROLES, User
from lms.extensions import db


@click.group()
def users():
    """Create accounts and API tokens."""


@users.command("create")
@click.option("--email", required=True, help="E-mail address (the sign-in name).")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), default=["learner"], show_default=True,
              help="Role; repeat for several.")
@click.option("--password", help="Password; without it the person sets one through 'Forgot password'.")
@with_appcontext
def create_command(email, name, roles, password):
    """Create an account with the given roles."""
    try:
        user = accounts.create_user(email, name, roles=roles, password=password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@users.command("token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def token_command(email, name):
    """Create an API token for EMAIL and print it (it is shown only this once)."""
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    _token, clear = accounts.create_api_token(user, name)
    db.session.commit()
    click.echo(clear)
