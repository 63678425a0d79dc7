"""How each role is called on the pages: the one mapping every template, form and message uses.

The codes (`company_manager`) are data: stored, typed in CSV files and on the command line, answered by the API.
"""
from flask_babel import lazy_gettext as _l

from lms.auth.models import ROLES

ROLE_LABELS = {
    "learner": _l("Learner"),
    "trainer": _l("Trainer"),
    "coordinator": _l("Lab coordinator"),
    "company_manager": _l("Company manager"),
    "its_staff": _l("ITS staff"),
    "admin": _l("Administrator"),
}
assert set(ROLE_LABELS) == set(ROLES), "every role needs a label"


def role_label(code: str) -> str:
    """The role's name in the interface language; an unknown code is shown as it is."""
    label = ROLE_LABELS.get(code)
    return str(label) if label is not None else code


def role_choices(codes=ROLES) -> list[tuple[str, str]]:
    return [(code, role_label(code)) for code in codes]
