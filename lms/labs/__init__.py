"""Labs: demo labs loaded from labs/*.md; sessions, bookings and attendance come later."""


def init_app(app):
    from lms.labs import models  # noqa: F401  (register the tables)
