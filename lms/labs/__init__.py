"""Labs: demo labs loaded from labs/*.md, their sessions, seat booking with waitlists, attendance, calendars.

The blueprint is made in blueprint.py; `init_app` imports the view modules, which add their routes to it.
"""


def init_app(app):
    from lms.content import loading

    # models registers the tables; each views_* module adds its routes to bp.
    from lms.labs import loader, models, views_booking, views_coordination, views_public  # noqa: F401
    from lms.labs.blueprint import bp

    loading.register(loader.LOADER)
    app.register_blueprint(bp)
