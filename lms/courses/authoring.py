"""Authoring in the browser: create and edit courses and modules, publish, reorder, revisions and restore.

Every browser edit of a module writes a ModuleRevision(source="browser") and sets Module.edited_in_browser_at,
so that the content sync sees a conflict instead of overwriting the trainer's work. Rules add and flush;
the caller commits. Diffs are in lms.courses.revisions, image uploads in lms.courses.uploads.
"""
import re
import unicodedata
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.courses import enrolment
from lms.courses.models import AUDIENCES, Course, Module, ModuleRevision
from lms.extensions import db

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGUAGES = ("en", "it")
# Module slugs that would collide with the course's own URLs (/courses/<slug>/files/..., /enrol, ...).
RESERVED_MODULE_SLUGS = {"files", "enrol", "enrol-staff"}
MAX_BODY_CHARS = 200_000


class AuthoringError(ValueError):
    """A rule refused the change; the message is safe to show. `field` names the form field at fault."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


class RevisionConflict(AuthoringError):
    """Someone saved a newer revision since the editor was opened."""


def _check_slug(slug: str, field="slug"):
    if not SLUG.match(slug or "") or len(slug) > 100:
        raise AuthoringError(_l("Use lower-case letters, digits and single hyphens, e.g. “digital-hr”."), field)


def slug_from_title(title: str) -> str:
    """ASCII lower-case words of `title` joined by hyphens ("Digitalizzazione 4.0: perché" -> "digitalizzazione-4-0-perche")."""
    ascii_text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:90].strip("-")


def free_course_slug(title: str) -> str:
    """A course address made from `title` that no course has: "digital-hr", else "digital-hr-2", ..."""
    base = slug_from_title(title) or "course"
    taken = set(db.session.scalars(select(Course.slug).where(Course.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_list(values) -> list[str]:
    return [v.strip() for v in (values or []) if v and v.strip()]


def _check_course_fields(title, language, audience):
    if not (title or "").strip():
        raise AuthoringError(_l("Give the course a title."), "title")
    if language not in LANGUAGES:
        raise AuthoringError(_l("Choose English or Italian."), "language")
    unknown = set(audience or []) - set(AUDIENCES)
    if unknown:
        raise AuthoringError(_l("Unknown audience: %(a)s", a=", ".join(sorted(unknown))), "audience")


def create_course(slug, title, author, now: datetime, summary="", description="", language="en",
                  audience=(), trainer_emails=(), prerequisites=()) -> Course:
    """A new draft course; the author's e-mail joins its trainers so that they may keep authoring it.

    :raise AuthoringError: invalid or taken slug, empty title, unknown language or audience.
    """
    _check_course_fields(title, language, audience)
    slug = (slug or "").strip().lower() or free_course_slug(title)  # left empty: made from the title
    _check_slug(slug)
    if db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        raise AuthoringError(_l("Another course already uses this address."), "slug")
    emails = [e.lower() for e in _clean_list(trainer_emails)]
    if author.email not in emails:
        emails.insert(0, author.email)
    course = Course(slug=slug, title=title.strip(), summary=(summary or "").strip(), description=description or "",
                    language=language, audience=list(audience or []), trainer_emails=emails,
                    prerequisites=_clean_list(prerequisites), is_published=False, created_at=now, updated_at=now)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, now: datetime, title, summary, description, language, audience,
                  trainer_emails, prerequisites, editor=None) -> Course:
    """Change a course's settings. An editor who is not an admin stays among the trainers (no locking oneself out).

    :raise AuthoringError: as create_course.
    """
    _check_course_fields(title, language, audience)
    emails = [e.lower() for e in _clean_list(trainer_emails)]
    if editor is not None and not editor.is_admin and editor.email not in emails:
        raise AuthoringError(_l("Keep your own e-mail among the trainers, or you could no longer edit the course."),
                             "trainer_emails")
    course.title = title.strip()
    course.summary = (summary or "").strip()
    course.description = description or ""
    course.language = language
    course.audience = list(audience or [])
    course.trainer_emails = emails
    course.prerequisites = _clean_list(prerequisites)
    course.updated_at = now
    db.session.flush()
    return course


def set_course_published(course: Course, published: bool, now: datetime):
    """Publish or withdraw a course. Publishing needs at least one published module, so learners find content."""
    if published and not course.live_modules:
        raise AuthoringError(_l("Publish at least one module first: a course without modules cannot be published."))
    course.is_published = published
    course.updated_at = now
    db.session.flush()
    enrolment.completion_changed(course, now)


def set_module_published(module: Module, published: bool, now: datetime):
    if module.archived_at is not None and published:
        raise AuthoringError(_l("This module was removed from the course files; it cannot be published."))
    module.is_published = published
    module.updated_at = now
    db.session.flush()
    enrolment.completion_changed(module.course, now)  # a live module is required; a draft is not


def _check_module_fields(title, minutes, body, audience):
    if not (title or "").strip():
        raise AuthoringError(_l("Give the module a title."), "title")
    if not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise AuthoringError(_l("Minutes must be a whole number from 1 to 600."), "minutes")
    if len(body or "") > MAX_BODY_CHARS:
        raise AuthoringError(_l("The text is too long: at most %(n)d characters.", n=MAX_BODY_CHARS), "body")
    unknown = set(audience or []) - set(AUDIENCES)
    if unknown:
        raise AuthoringError(_l("Unknown audience: %(a)s", a=", ".join(sorted(unknown))), "audience")


def _next_revision_number(module: Module) -> int:
    current = db.session.scalar(select(func.max(ModuleRevision.number)).where(ModuleRevision.module_id == module.id))
    return (current or 0) + 1


def latest_revision(module: Module) -> ModuleRevision | None:
    return db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id)
                             .order_by(ModuleRevision.number.desc()).limit(1))


def _add_revision(module, source, author, now, note="") -> ModuleRevision:
    revision = ModuleRevision(module=module, number=_next_revision_number(module), title=module.title,
                              minutes=module.minutes, body=module.body, source=source,
                              author_id=author.id if author is not None else None, note=note[:200], created_at=now)
    db.session.add(revision)
    db.session.flush()
    return revision


def create_module(course: Course, slug, title, minutes: int, body, author, now: datetime,
                  summary="", audience=None) -> Module:
    """A new draft module at the end of the course, with its first revision.

    :raise AuthoringError: invalid, reserved or taken slug; invalid fields.
    """
    slug = (slug or "").strip().lower()
    _check_slug(slug)
    if slug in RESERVED_MODULE_SLUGS:
        raise AuthoringError(_l("“%(slug)s” is reserved for the course's own pages; choose another.", slug=slug), "slug")
    _check_module_fields(title, minutes, body, audience)
    if db.session.scalar(select(Module.id).where(Module.course_id == course.id, Module.slug == slug)) is not None:
        raise AuthoringError(_l("Another module of this course already uses this address."), "slug")
    position = (db.session.scalar(select(func.max(Module.position)).where(Module.course_id == course.id)) or 0) + 1
    module = Module(course=course, slug=slug, position=position, title=title.strip(), minutes=minutes, body=body or "",
                    summary=(summary or "").strip(), audience=list(audience) if audience else None,
                    is_published=False, edited_in_browser_at=now, created_at=now, updated_at=now)
    db.session.add(module)
    db.session.flush()
    _add_revision(module, "browser", author, now, note=str(_l("Created in the browser")))
    return module


def update_module(module: Module, title, minutes: int, body, author, now: datetime, summary=None,
                  audience=..., note="", expected_revision: int | None = None) -> ModuleRevision | None:
    """Save a browser edit: a new ModuleRevision(source="browser"), and Module.edited_in_browser_at = now.

    A module that has no revision yet (loaded from a file before revisions existed) first gets one holding its
    current text, so that the history shows what the edit changed. `expected_revision` is the latest revision
    number the editor was opened on: a newer one means someone else saved meanwhile.
    Returns the new revision, or None when title, minutes and body are unchanged (summary/audience still saved).
    :raise RevisionConflict: a newer revision exists. :raise AuthoringError: invalid fields.
    """
    _check_module_fields(title, minutes, body, None if audience is ... else audience)
    latest = latest_revision(module)
    if expected_revision is not None and latest is not None and latest.number != expected_revision:
        raise RevisionConflict(_l(
            "%(name)s saved a newer version (revision %(n)d) while you were editing. Your text is kept below: "
            "compare it with the history, then save again.",
            name=latest.author.name if latest.author else _l("The content sync"), n=latest.number))
    if summary is not None:
        module.summary = summary.strip()
    if audience is not ...:
        module.audience = list(audience) if audience else None
    body = (body or "").replace("\r\n", "\n")
    if (title.strip(), minutes, body) == (module.title, module.minutes, module.body):
        module.updated_at = now
        db.session.flush()
        return None
    if latest is None:
        _add_revision(module, "file", None, now, note=str(_l("Text before the first browser edit")))
    module.title, module.minutes, module.body = title.strip(), minutes, body
    module.edited_in_browser_at = now
    module.updated_at = now
    return _add_revision(module, "browser", author, now, note=note)


def restore_revision(module: Module, revision: ModuleRevision, author, now: datetime) -> ModuleRevision:
    """Copy `revision` back into the module as a new revision (source="restore"): history is never rewritten."""
    if revision.module_id != module.id:
        raise AuthoringError(_l("This revision belongs to another module."))
    module.title, module.minutes, module.body = revision.title, revision.minutes, revision.body
    module.edited_in_browser_at = now
    module.updated_at = now
    return _add_revision(module, "restore", author, now, note=str(_l("Restored revision %(n)d", n=revision.number)))


def reorder(course: Course, module_ids: list[int], now: datetime | None = None):
    """Put the course's modules in the order of `module_ids`, which must name each non-archived module once.

    Archived modules keep their place after the others.
    :raise AuthoringError: an id is missing, repeated or foreign.
    """
    current = [m for m in course.modules if m.archived_at is None]
    by_id = {m.id: m for m in current}
    if sorted(module_ids) != sorted(by_id) or len(set(module_ids)) != len(module_ids):
        raise AuthoringError(_l("The list of modules changed meanwhile; reload the page and try again."))
    for position, module_id in enumerate(module_ids, start=1):
        module = by_id[module_id]
        if module.position != position and now is not None:
            module.edited_in_browser_at = now  # sync then keeps this order, as it keeps a browser edit
        module.position = position
    archived = sorted((m for m in course.modules if m.archived_at is not None), key=lambda m: m.position)
    for offset, module in enumerate(archived, start=len(module_ids) + 1):
        module.position = offset
    if now is not None:
        course.updated_at = now
    db.session.flush()
    db.session.expire(course, ["modules"])


def moved(order: list[int], module_id: int, step: int) -> list[int]:
    """`order` with `module_id` moved by `step` places (-1 up, +1 down), clamped at the ends."""
    order = list(order)
    index = order.index(module_id)
    target = max(0, min(len(order) - 1, index + step))
    order.insert(target, order.pop(index))
    return order
