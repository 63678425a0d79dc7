"""`lms content check` also checks the learning-path mapping of questions.yaml against the shipped courses and labs."""
from lms.assessment.questionnaire import check_mapping, questionnaire


def check_shipped_content(content) -> list:
    """A SHIPPED_CONTENT_CHECKS entry: the modules, quizzes and labs the paths name must exist in `content`."""
    return check_mapping(questionnaire(), content.courses, content.labs)


def register():
    from lms.courses import cli

    if check_shipped_content not in cli.SHIPPED_CONTENT_CHECKS:
        cli.SHIPPED_CONTENT_CHECKS.append(check_shipped_content)
