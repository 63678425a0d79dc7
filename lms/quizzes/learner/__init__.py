"""The learner's side of quizzes: the pages that take a quiz (views_taking, on the ``quizzes`` blueprint of
blueprint.py) and the quiz boxes other pages include (boxes)."""
