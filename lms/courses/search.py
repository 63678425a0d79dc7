"""Full-text search over course and module titles and text, one interface on SQLite and PostgreSQL.

One row of `search_documents` per course (title, summary, description) and per module (title, summary,
body), as plain text. Its `index_title`/`index_body` columns hold the same text reduced to lower-case
word stems without accents, stemmed in Python by the Snowball stemmer of the course's language (the
algorithm of PostgreSQL's `italian` and `english` configurations), so both databases see identical tokens
and "digitalizzazione" finds "digitalizzare": SQLite searches them through an FTS5 table kept in step by
triggers, PostgreSQL through a stored tsvector column with a GIN index ('simple': the words are already stems). Every row is indexed,
published or not; what may be found (published course, published and not archived module) is decided
when searching, so publishing or archiving needs no reindex.
"""
import re
import unicodedata
import weakref
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser

import snowballstemmer
from sqlalchemy import ForeignKey, String, Text, bindparam, column, delete, event, or_, select, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, aliased, mapped_column

from lms.courses.models import AUDIENCES, Course, Module
from lms.extensions import db
from lms.render import render

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
_WORD = re.compile(r"[^\W_]+")

# PostgreSQL keeps each row's tsvector in a stored generated column with a GIN index: computed when a row is
# written, not per row and query (to_tsvector over every module's text was most of a search's time, as a search
# over a few dozen rows is a sequential scan anyway), and ts_rank reads it as stored. Migrations freeze this DDL.
PG_TSVECTOR = ("setweight(to_tsvector('simple'::regconfig, coalesce(index_title, '')), 'A') || "
               "setweight(to_tsvector('simple'::regconfig, coalesce(index_body, '')), 'B')")
PG_DDL = [
    f"ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS ({PG_TSVECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_search_tsv ON search_documents USING GIN (search_tsv)",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_search_documents_search_tsv", "DROP INDEX IF EXISTS ix_search_documents_tsv",
           "ALTER TABLE search_documents DROP COLUMN IF EXISTS search_tsv"]
SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(index_title, index_body, "
    "content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, index_title, index_body) VALUES (new.id, new.index_title, new.index_body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, index_title, index_body) "
    "VALUES ('delete', old.id, old.index_title, old.index_body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, index_title, index_body) "
    "VALUES ('delete', old.id, old.index_title, old.index_body); "
    "INSERT INTO search_fts(rowid, index_title, index_body) VALUES (new.id, new.index_title, new.index_body); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_documents_ai", "DROP TRIGGER IF EXISTS search_documents_ad",
               "DROP TRIGGER IF EXISTS search_documents_au", "DROP TABLE IF EXISTS search_fts"]


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, for snippets
    audience: Mapped[str] = mapped_column(String(100), default="")  # " ceo manager ": matched with LIKE
    index_title: Mapped[str] = mapped_column(Text, default="")
    index_body: Mapped[str] = mapped_column(Text, default="")


@dataclass(frozen=True)
class SearchHit:
    course_id: int
    module_id: int | None
    title: str
    snippet: str  # plain text: escape it (Jinja does)
    course_slug: str = ""
    module_slug: str | None = None
    course_title: str = ""


# Engines whose FTS5 table was found in place: a search asks sqlite_master once per process and database,
# not once per query (a statement on every search page). Dropping the index forgets the engine.
_FTS_SEEN = weakref.WeakSet()


def _ensure(connection):
    dialect = connection.dialect.name
    if dialect == "sqlite":
        exists = connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'")).first()
        if exists:
            _FTS_SEEN.add(connection.engine)
        else:  # made in the caller's transaction: seen only at a later check, once it is surely committed
            for statement in SQLITE_DDL:
                connection.execute(text(statement))
            connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    elif dialect == "postgresql":
        for statement in PG_DDL:
            connection.execute(text(statement))


def drop_search_index(bind):
    """Drop what the search needs beyond the search_documents table (before that table is dropped): the FTS5
    table and its triggers on SQLite, the tsvector column and its indexes on PostgreSQL."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            drop_search_index(connection)
    elif bind.dialect.name == "sqlite":
        _FTS_SEEN.discard(bind.engine)
        for statement in SQLITE_DROP:
            bind.execute(text(statement))
    elif bind.dialect.name == "postgresql":
        for statement in PG_DROP:
            bind.execute(text(statement))


@event.listens_for(SearchDocument.__table__, "after_create")
def _after_create(table, connection, **kw):
    _ensure(connection)


@event.listens_for(SearchDocument.__table__, "before_drop")
def _before_drop(table, connection, **kw):
    drop_search_index(connection)


def _sqlite_ready():
    """On SQLite the FTS5 table may be missing (a database made before search existed): make it now,
    in the session's transaction, so it lasts once the caller commits."""
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite" and bind not in _FTS_SEEN:
        _ensure(db.session.connection())


# Indexing --------------------------------------------------------------------------------------------

class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.parts.append(" ")


def plain_text(markdown_text: str) -> str:
    """The words a reader sees in rendered Markdown, on one line."""
    parser = _TextOnly()
    parser.feed(str(render(markdown_text or "")))
    parser.close()
    return " ".join("".join(parser.parts).split())


def fold(value: str) -> str:
    """Lower case without accents ("Perché" -> "perche"): matching ignores both."""
    if value.isascii():  # nothing to decompose or strip, and casefold() is lower()
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(value: str) -> list[str]:
    return _WORD.findall(fold(value))


STEMMERS = {"en": "english", "it": "italian"}  # course language -> Snowball algorithm


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS.get(language, "english"))


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of one folded word ("digitalizzazione" and "digitalizzare" -> "digitalizz")."""
    return _stemmer(language).stemWord(word)


def stems(value: str, language: str) -> list[str]:
    return [stem(w, language) for w in words(value)]


def _document(course, module, title, body_text, audience) -> SearchDocument:
    language = course.language
    return SearchDocument(course_id=course.id, module_id=module.id if module else None, title=title[:200],
                          body=body_text, audience=" " + " ".join(audience or []) + " ",
                          index_title=" ".join(stems(title, language)),
                          index_body=" ".join(stems(body_text, language)))


def reindex(course: Course):
    """Replace the search rows of `course` and its modules (all of them: visibility is checked when
    searching). Call after any change to titles or text; flushes, does not commit."""
    _sqlite_ready()
    db.session.flush()
    db.session.execute(delete(SearchDocument).where(SearchDocument.course_id == course.id))
    body = " ".join(part for part in (course.summary or "", plain_text(course.description)) if part)
    docs = [_document(course, None, course.title, body, course.audience)]
    for module in course.modules:
        body = " ".join(part for part in (module.summary or "", plain_text(module.body)) if part)
        docs.append(_document(course, module, module.title, body, module.effective_audience))
    db.session.add_all(docs)
    db.session.flush()


def reindex_all() -> int:
    """Reindex every course; the number of courses."""
    courses = list(db.session.scalars(select(Course)))
    for course in courses:
        reindex(course)
    return len(courses)


def reindex_missing() -> int:
    """Index every course that has no search rows (made in the browser before an upgrade cleared the
    index, for instance); the number of courses indexed."""
    indexed = select(SearchDocument.course_id)
    courses = list(db.session.scalars(select(Course).where(Course.id.not_in(indexed))))
    for course in courses:
        reindex(course)
    return len(courses)


def is_indexed(course: Course) -> bool:
    return db.session.scalar(select(SearchDocument.id).where(SearchDocument.course_id == course.id).limit(1)) is not None


# Searching -------------------------------------------------------------------------------------------

def query_terms(query: str) -> list[str]:
    """The words of a query, folded like the index: quotes, operators and punctuation are dropped, so
    nothing the user types reaches FTS syntax."""
    terms = [t[:MAX_TERM_LENGTH] for t in words(query or "")]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def term_stems(term: str, language: str | None) -> list[str]:
    """The stems one query word may have in the index: in the courses' language when the search is limited
    to one, else in every language (a query's own language is unknown). Each matches as a prefix."""
    languages = [language] if language in STEMMERS else list(STEMMERS)
    found = sorted({stem(term, lang) for lang in languages} | {term}, key=len)
    # A stem that starts with a shorter one adds nothing to a prefix match.
    return [s for i, s in enumerate(found) if not any(s.startswith(t) for t in found[:i])]


def snippet(body: str, terms: list[str], before: int = 12, after: int = 24) -> str:
    """About 35 words of `body` around the first word that starts with a term."""
    all_words, folded = _prepared(body)
    found = _first_match(all_words, folded, terms)
    start = max(0, found - before) if found is not None else 0
    chosen = all_words[start:start + before + after]
    text_ = " ".join(chosen)
    if start > 0:
        text_ = "… " + text_
    if start + len(chosen) < len(all_words):
        text_ += " …"
    return text_


@lru_cache(maxsize=256)
def _prepared(body: str) -> tuple[tuple[str, ...], str | None]:
    """(the words of `body`, those words folded and joined by NUL), kept per body text: splitting and folding
    every hit's whole text was most of a search page's time, and only a change of the text changes them (the
    text is the key, so an edit is seen on the next search). None for the folded text when a word holds a
    NUL. Folding works a character at a time and leaves NUL alone, so the folded text splits back at NUL
    into the words folded one by one."""
    all_words = tuple(body.split())
    joined = "\0".join(all_words)
    return all_words, (fold(joined) if joined.count("\0") == len(all_words) - 1 else None)


def _first_match(all_words: tuple[str, ...], folded: str | None, terms: list[str]) -> int | None:
    """The index of the first of `all_words` with a word (as `words` splits it) that starts with a term: one
    regex over the folded text instead of folding and splitting each word."""
    if not terms or not all_words:
        return None
    if folded is None:
        return next((i for i, word in enumerate(all_words)
                     if any(w.startswith(t) for w in words(word) for t in terms)), None)
    match = _word_start(tuple(terms)).search(folded)
    return folded.count("\0", 0, match.start()) if match else None


@lru_cache(maxsize=256)
def _word_start(terms: tuple[str, ...]) -> re.Pattern:
    """A regex for any of `terms` at the start of a word (after no letter or digit); an empty term matches
    any word's start."""
    alternatives = [re.escape(t) for t in terms if t] + ([r"(?=[^\W_])"] if "" in terms else [])
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + ")")


def search_courses(query: str, language: str | None = None, audience: str | None = None,
                   limit: int = 50) -> list[SearchHit]:
    """Published courses and their live modules matching every word of `query` (as a prefix: "digit"
    finds "digitalization"), best first. Any string is a safe query; one without words finds nothing."""
    terms = query_terms(query)
    if not terms or (audience is not None and audience not in AUDIENCES):
        return []
    alternatives = [term_stems(t, language) for t in terms]
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        words_ = " & ".join("(" + " | ".join(f"{s}:*" for s in alts) + ")" for alts in alternatives)
    else:
        _sqlite_ready()
        words_ = " AND ".join("(" + " OR ".join(f'"{s}"*' for s in alts) + ")" for alts in alternatives)
    stmt = _search_statement(dialect == "postgresql", bool(language), bool(audience))
    params = {"words": words_, "language": language, "audience": f"% {audience} %", "limit": max(1, min(int(limit), 200))}
    prefixes = [s for alts in alternatives for s in alts]
    return [SearchHit(course_id=course_id, module_id=module_id, title=title, snippet=snippet(body, prefixes),
                      course_slug=course_slug, module_slug=module_slug, course_title=course_title)
            for course_id, module_id, title, body, course_slug, course_title, module_slug
            in _execute_search(stmt, params)]


@cache
def _search_statement(postgresql: bool, by_language: bool, by_audience: bool):
    """The search for :words (a tsquery on PostgreSQL, an FTS5 MATCH on SQLite), limited to courses in :language
    and documents for :audience (a LIKE pattern) when asked. Built once per shape: building it per search
    cost more than running it."""
    module = aliased(Module)
    stmt = (
        # Not the whole row: index_title and index_body (the stems) are as long as the text and read by no one here.
        select(SearchDocument.course_id, SearchDocument.module_id, SearchDocument.title, SearchDocument.body,
               Course.slug, Course.title, module.slug)
        .join(Course, Course.id == SearchDocument.course_id)
        .outerjoin(module, module.id == SearchDocument.module_id)
        .where(Course.is_published)
        .where(or_(SearchDocument.module_id.is_(None), module.is_published & module.archived_at.is_(None)))
    )
    if by_language:
        stmt = stmt.where(Course.language == bindparam("language"))
    if by_audience:
        stmt = stmt.where(SearchDocument.audience.like(bindparam("audience")))
    if postgresql:
        stmt = (stmt.where(text("search_documents.search_tsv @@ to_tsquery('simple', :words)"))
                .order_by(text("ts_rank(search_documents.search_tsv, to_tsquery('simple', :words)) DESC"),
                          SearchDocument.id))
    else:
        fts = table("search_fts", column("rowid"))
        stmt = (stmt.join(fts, fts.c.rowid == SearchDocument.id)
                .where(text("search_fts MATCH :words"))
                .order_by(text("bm25(search_fts, 10.0, 1.0)"), SearchDocument.id))
    return stmt.limit(bindparam("limit"))


def _execute_search(stmt, params):
    """Run a search; on SQLite, an FTS5 table dropped since this process last saw it is made again (from
    search_documents) and the search repeated. A failed SELECT leaves an SQLite transaction usable."""
    try:
        return db.session.execute(stmt, params).all()
    except OperationalError as exc:
        bind = db.session.get_bind()
        if bind.dialect.name != "sqlite" or "search_fts" not in str(exc.orig):
            raise
        _FTS_SEEN.discard(bind)
        _sqlite_ready()
        return db.session.execute(stmt, params).all()
