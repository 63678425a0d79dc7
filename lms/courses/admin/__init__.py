"""The admin's side of courses (views_sync): the content sync run from the browser, on the ``courses``
blueprint of lms/courses/blueprint.py."""
