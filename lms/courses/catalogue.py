"""Queries over published courses: the home page's featured list and the catalogue with filters and search."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, load_only

from lms.courses.models import AUDIENCES, Course, Module
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

    @property
    def key(self) -> tuple:
        """What the card shows of the search, for its key in the fragment cache (lms.templating.cached_fragment)."""
        return self.snippet, tuple((module.slug, module.title, snippet) for module, snippet in self.modules)


@dataclass
class Catalogue:
    entries: list[CatalogueEntry]
    languages: list[str]  # that at least one published course is written in, for the filter


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
              reader_language: str | None = None) -> Catalogue:
    """Published courses with at least one live module, filtered by role and language, searched by `query`;
    courses in `reader_language` (the interface's) come first.

    Without a query the courses come by title; with one, in the search's order of relevance, each with the
    live modules that matched. Drafts and archived modules never appear, whatever the search index holds.
    """
    published = _published()
    entries = _catalogue(published, query, audience, language)
    return Catalogue(in_language_first(entries, reader_language, key=lambda entry: entry.course),
                     sorted({course.language for course in published}))


# Every published course by title with its modules, in one statement: the columns the cards, the filters and a
# search's hits read (not the description, the modules' Markdown and summaries, or the JSON nobody here reads:
# JSON is parsed again on each joined row). A search's courses are among them, so it needs no query of its own
# for them, and the languages filter needs none either. Built once (building it per request cost as much as
# running it).
_PUBLISHED = (
    select(Course).where(Course.is_published).order_by(Course.title)
    .options(load_only(Course.slug, Course.title, Course.summary, Course.language, Course.audience, Course.cover,
                       Course.translation_of, Course.is_published),
             joinedload(Course.modules).load_only(Module.course_id, Module.slug, Module.position, Module.title,
                                                  Module.minutes, Module.audience, Module.is_published,
                                                  Module.archived_at))
)


def _published() -> list[Course]:
    return list(db.session.scalars(_PUBLISHED).unique())


def _catalogue(published, query, audience, language) -> list[CatalogueEntry]:
    audience = audience if audience in AUDIENCES else None
    query = (query or "").strip()
    if not query:
        return [CatalogueEntry(c) for c in published if c.live_modules and _matches(c, audience, language)]

    from lms.courses.search import search_courses

    hits = [_hit_fields(hit) for hit in search_courses(query, language=language or None, audience=audience, limit=50)]
    courses = {c.id: c for c in published}
    modules = {m.id: m for c in published for m in c.modules}
    entries: dict[int, CatalogueEntry] = {}
    for course_id, module_id, _title, snippet in hits:
        course = courses.get(course_id)
        if course is None or not course.live_modules:
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
