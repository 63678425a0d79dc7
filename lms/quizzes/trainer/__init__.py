"""The trainer's side of quizzes, on the ``quiz_authoring`` blueprint of blueprint.py: editing a course's
quizzes (views_editing), preview, statistics and essay grading (views_review), GIFT import and export
(views_transfer)."""
