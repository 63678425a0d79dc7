"""Queries over published courses: the home page's featured list and the catalogue with filters and search."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from lms.courses.models import AUDIENCES, Course, Module
from lms.courses.reading import with_modules
from lms.extensions import db


def in_language_first(items: list, language: str | None, key=lambda item: item) -> list:
    """`items` with those whose course is in `language` first, each group in its own order."""
    if not language:
        return list(items)
    return sorted(items, key=lambda item: key(item).language != language)


def featured_courses(limit: int = 6, language: str | None = None) -> list[Course]:
    """Published courses for the home page: one edition of each course, the one in `language` where there is
    one, else the original."""
    courses = list(db.session.scalars(select(Course).where(Course.is_published).order_by(Course.title)))
    chosen: dict[str, Course] = {}
    for course in in_language_first(courses, language):
        chosen.setdefault(course.translation_of or course.slug, course)
    return in_language_first(list(chosen.values()), language)[:limit]


def editions_of(course: Course) -> list[Course]:
    """The other published editions of `course` (its original and the original's translations), by language."""
    root = course.translation_of or course.slug
    return list(db.session.scalars(
        select(Course).where(Course.is_published, Course.id != course.id,
                             or_(Course.slug == root, Course.translation_of == root)).order_by(Course.language)))


@dataclass
class CatalogueEntry:
    course: Course
    snippet: str = ""  # why the course matched the search (plain text from the search index)
    modules: list[tuple[Module, str]] = field(default_factory=list)  # matching modules and their snippets


def published_languages() -> list[str]:
    """Languages that at least one published course is written in, for the filter."""
    return sorted(set(db.session.scalars(select(Course.language).where(Course.is_published))))


def _matches(course: Course, audience: str | None, language: str | None) -> bool:
    if language and course.language != language:
        return False
    if audience:
        audiences = set(course.audience or [])
        audiences.update(a for m in course.live_modules for a in (m.audience or []))
        if audience not in audiences:
            return False
    return True


def catalogue(query: str = "", audience: str | None = None, language: str | None = None,
              reader_language: str | None = None) -> list[CatalogueEntry]:
    """Published courses with at least one live module, filtered by role and language, searched by `query`;
    courses in `reader_language` (the interface's) come first.

    Without a query the courses come by title; with one, in the search's order of relevance, each with the
    live modules that matched. Drafts and archived modules never appear, whatever the search index holds.
    """
    entries = _catalogue(query, audience, language)
    return in_language_first(entries, reader_language, key=lambda entry: entry.course)


def _catalogue(query, audience, language) -> list[CatalogueEntry]:
    audience = audience if audience in AUDIENCES else None
    query = (query or "").strip()
    if not query:
        courses = db.session.scalars(select(Course).where(Course.is_published).order_by(Course.title)
                                     .options(with_modules()))
        return [CatalogueEntry(c) for c in courses if c.live_modules and _matches(c, audience, language)]

    from lms.courses.search import search_courses

    hits = [_hit_fields(hit) for hit in search_courses(query, language=language or None, audience=audience, limit=50)]
    # The hits' courses with all their modules in two queries (held here: the session keeps only weak references).
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_({h[0] for h in hits}))
                                                   .options(with_modules()))}
    modules = {m.id: m for c in courses.values() for m in c.modules}
    entries: dict[int, CatalogueEntry] = {}
    for course_id, module_id, _title, snippet in hits:
        course = courses.get(course_id)
        if course is None or not course.is_published or not course.live_modules:
            continue
        if not _matches(course, audience, language):
            continue
        entry = entries.setdefault(course.id, CatalogueEntry(course))
        if module_id is None:
            if not entry.snippet and adds_to(course.summary, snippet):
                entry.snippet = snippet
            continue
        module = modules.get(module_id)
        if module is not None and module in course.live_modules and all(m is not module for m, _s in entry.modules):
            entry.modules.append((module, snippet))
    return list(entries.values())


def adds_to(summary: str | None, snippet: str) -> bool:
    """Whether a search snippet says something the card's summary does not already say: the indexed text starts
    with the summary, so a snippet from its beginning would repeat it word for word."""
    words = " ".join(snippet.strip(" …").split())
    return bool(words) and words[:80] not in " ".join((summary or "").split())


def _hit_fields(hit) -> tuple:
    """(course_id, module_id, title, snippet) from a search hit, a tuple or an object with those attributes."""
    if isinstance(hit, tuple):
        return tuple(hit[:4])
    return hit.course_id, hit.module_id, hit.title, hit.snippet
