"""Report filters and paging from a query string, shared by pages and the API. Bad values are a 400 with a
clear message, never a 500; ids of things the caller may not see are a 404 (lms.progress.access)."""

from werkzeug.exceptions import BadRequest

from lms.auth.models import ROLES
from lms.paging import Page
from lms.progress import access
from lms.progress.queries import Filters


class FilterError(BadRequest):
    pass


def _whole(args, name, low=1, high=access.MAX_ID):
    raw = args.get(name, "")
    if raw in ("", None):
        return None
    if not isinstance(raw, str) or not raw.strip().isdigit() or len(raw) > 12:
        raise FilterError(f"{name} must be a whole number.")
    value = int(raw)
    if not low <= value <= high:
        raise FilterError(f"{name} must be between {low} and {high}.")
    return value


def parse_filters(args, organisation=None) -> Filters:
    """Filters from `args` (cohort, course, role, inactive days); a cohort must belong to `organisation`."""
    role = (args.get("role") or "").strip() or None
    if role is not None and role not in ROLES:
        raise FilterError(f"role must be one of: {', '.join(ROLES)}.")
    cohort_id = _whole(args, "cohort")
    if cohort_id is not None and organisation is not None:
        access.get_cohort_or_404(organisation, cohort_id)
    return Filters(cohort_id=cohort_id, course_id=_whole(args, "course"), role=role,
                   inactive_days=_whole(args, "inactive", 1, 3650))


def parse_page(args, total: int, default_per_page: int = 50) -> Page:
    page = _whole(args, "page", 1, 10**6) or 1
    per_page = _whole(args, "per_page", 1, 1000) or default_per_page
    return Page(page, per_page, total)
