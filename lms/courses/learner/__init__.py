"""The reader's side of courses (views_reading): the catalogue, a course and its modules, enrolment (a
manager's "enrol my staff" too) and course media, on the ``courses`` blueprint of lms/courses/blueprint.py."""
