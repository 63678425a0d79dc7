"""Courses: the catalogue, the content loader (courses/ folder <-> database), reading, enrolment, authoring."""


def init_app(app):
    from lms.courses import models  # noqa: F401  (register tables)
