"""The signed-in home: one section per role a person has — organisation summaries with the people who need
attention (company managers, ITS staff, admins see the first few organisations), the trainer's courses, and the
learner's "continue where you left off"."""
from lms.progress import access, detail, queries

ORGANISATIONS_ON_HOME = 3


def organisation_summaries(user, now) -> list[dict]:
    result = []
    for organisation in access.visible_organisations(user)[:ORGANISATIONS_ON_HOME]:
        scope = access.organisation_scope(organisation)
        filters = queries.Filters()
        result.append({"organisation": organisation, "headcount": queries.headcount(scope, filters, now),
                       "summaries": queries.course_summaries(scope, filters, now, group_editions=True),
                       "attention": queries.attention(scope, filters, now, limit=5)})
    return result


def home_context(user, now) -> dict:
    context = {"organisations": [], "overview": [], "hardest": [], "learner": None}
    if user.is_admin or user.has_role("company_manager", "its_staff"):
        context["organisations"] = organisation_summaries(user, now)
    if user.has_role("trainer"):
        context["overview"], context["hardest"] = detail.trainer_overview(access.taught_courses(user), now)
    return context
