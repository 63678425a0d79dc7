"""Trainer and ITS-teacher profiles, and the competence directory."""


def init_app(app):
    pass
