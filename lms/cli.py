"""The `lms` console script: Flask's CLI over create_app(). Commands live with their features
(the application-wide ones in lms/commands.py); create_app() registers them all."""
from flask.cli import FlaskGroup, routes_command, shell_command

from lms import create_app

main = FlaskGroup(
    name="lms",
    create_app=create_app,
    add_default_commands=False,
    help="Officina 4.0 administration. Every command has --help.",
)
main.add_command(shell_command)
main.add_command(routes_command)
