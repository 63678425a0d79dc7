"""Quizzes: GIFT import/export, questions, attempts and grading."""


def init_app(app):
    pass
