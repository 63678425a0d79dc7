"""A person's bookings: book, cancel, my bookings, .ics files and the personal calendar feed."""
from lms.labs import bp


@bp.get("/my-bookings")
def my_bookings():
    return ""
