"""The navigation: each entry names the roles that see it. A feature adds its entry here when it lands."""
from functools import cache

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


def _visible(entry_roles, roles: frozenset | None) -> bool:
    """Whether an entry is shown to a visitor (`roles` None) or to a signed-in person with these roles."""
    if entry_roles is None:
        return True
    if roles is None:
        return False
    return entry_roles == "user" or "admin" in roles or not roles.isdisjoint(entry_roles)


@cache
def menus(roles: frozenset | None) -> tuple[tuple, tuple, tuple]:
    """The main and admin menus, (endpoint, label) pairs, for a visitor (None) or for these roles, and their
    endpoints. The same for everyone with the same roles: worked out once per set of roles (a few dozen)."""
    main = tuple((e, label) for e, label, entry_roles in MAIN_NAV if _visible(entry_roles, roles))
    admin = tuple(ADMIN_NAV) if roles is not None and "admin" in roles else ()
    return main, admin, (tuple(e for e, _label in main), tuple(e for e, _label in admin))


def nav_context():
    user = current_user._get_current_object()  # once: each use of the proxy looks the user up again
    roles = frozenset(user.roles) if user is not None and user.is_authenticated else None
    main, admin, endpoints = menus(roles)
    active = request.endpoint or ""
    # What the header's links depend on, as base.html's cached_fragment key: the entries (the labels follow
    # from them and the language), the page that is active, and the prefix url_for puts before each link.
    key = (*endpoints, active, request.script_root)
    return {"nav_main": main, "nav_admin": admin, "nav_active": active, "nav_key": key}
