"""The assessment's part of the content sync: no files to load (questions.yaml ships with the code and is read
at start-up), but `lms content check` checks its learning paths against the configured courses and labs."""
from lms.assessment.questionnaire import check_mapping, questionnaire
from lms.content.loading import Loader


def check_shipped_content(content) -> list:
    """The modules, quizzes and labs the paths name must exist in the content read."""
    return check_mapping(questionnaire(), content["courses"], content["labs"])


LOADER = Loader("assessment", order=40, check_shipped=check_shipped_content)
