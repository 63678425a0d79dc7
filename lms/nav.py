"""The navigation: each entry names the roles that see it. A feature adds its entry here when it lands."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# (endpoint, label, roles): None = everyone, "user" = any signed-in person.
MAIN_NAV = [
    ("courses.catalogue", _l("Courses"), None),
    ("labs.index", _l("Labs"), None),
    ("profiles.directory", _l("People"), None),
    ("progress.learning", _l("My learning"), "user"),
    ("assessment.index", _l("Maturity check"), "user"),
    ("courses.authoring_index", _l("Authoring"), ("trainer",)),
    ("quiz_authoring.index", _l("Quizzes"), ("trainer",)),
    ("labs.coordination", _l("Lab sessions"), ("coordinator",)),
    ("progress.teaching", _l("Gradebook"), ("trainer",)),
    ("progress.staff", _l("My staff"), ("company_manager",)),
    ("progress.cohorts", _l("Cohorts"), ("its_staff",)),
]
ADMIN_NAV = [
    ("users_admin.index", _l("People")),
    ("orgs.index", _l("Organisations")),
    ("courses.admin_sync", _l("Content")),
    ("outbox_admin.index", _l("Outbox")),
]


def _visible(roles) -> bool:
    if roles is None:
        return True
    if not current_user.is_authenticated:
        return False
    return roles == "user" or current_user.is_admin or current_user.has_role(*roles)


def nav_context():
    main = [(e, label) for e, label, roles in MAIN_NAV if _visible(roles)]
    admin = []
    if current_user.is_authenticated and current_user.is_admin:
        admin = list(ADMIN_NAV)
    active = request.endpoint or ""
    # What the header's links depend on, as base.html's cached_fragment key: the entries (the labels follow
    # from them and the language), the page that is active, and the prefix url_for puts before each link.
    key = (tuple(e for e, _label in main), tuple(e for e, _label in admin), active, request.script_root)
    return {"nav_main": main, "nav_admin": admin, "nav_active": active, "nav_key": key}
