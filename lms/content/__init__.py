"""Content as files -> the database: the loading core that every feature's loader joins.

Front matter and `path:line` errors (frontmatter.py), the registry of loaders and the sync in one transaction
(loading.py), and `lms content sync|check` (cli.py). Nothing here imports a feature: features register their
loaders from their own `init_app`, which create_app runs before this package's.
"""


def init_app(app):
    from lms.content import cli

    cli.add_folder_options()  # --courses DIR, --labs DIR, ...: one per registered folder
    app.cli.add_command(cli.content)
