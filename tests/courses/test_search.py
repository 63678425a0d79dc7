"""Full-text search: the same answers on SQLite (FTS5) and PostgreSQL (tsvector), hostile queries harmless."""
from pathlib import Path

import pytest
from sqlalchemy import select, text

from lms.content import loading
from lms.courses import search
from lms.courses.models import Course, Module
from lms.courses.search import search_courses
from lms.extensions import db
from tests.own_data import OWN_XSS

from .content_factory import COURSE_MD, SHARED, SHIPPED_COURSES, make_course, module_md


@pytest.fixture
def indexed(db_app, tmp_path):
    courses = tmp_path / "courses"
    make_course(courses, "maintenance", course_md=COURSE_MD.replace("Test course", "Predictive maintenance"),
                modules={
                    "01-why.md": module_md("Perché la manutenzione", 10, "Vibration analysis on a **spindle**."),
                    "02-bearings.md": module_md("Bearings", 10, "Bearings fail; vibration tells you early.",
                                                extra="audience: [technician]\n"),
                    "03-old.md": module_md("Old module", 5, "Obsolete gearbox notes."),
                })
    make_course(courses, "hr-it", course_md=COURSE_MD.replace("language: en", "language: it").replace(
        "Test course", "Analisi HR").replace("[manager, technician]", "[hr]"),
        modules={"01-dati.md": module_md("Dati del personale", 10, "Vibration is not an HR topic."),
                 "02-digitale.md": module_md("Verso il digitale", 10, "Come digitalizzare i processi del personale.")})
    assert not loading.sync_content(courses=courses).errors
    db.session.commit()
    return courses


def titles(hits):
    return [h.title for h in hits]


def test_words_prefixes_and_accents_match(indexed):
    hits = search_courses("vibration")
    assert set(titles(hits)) == {"Perché la manutenzione", "Bearings", "Dati del personale"}
    assert titles(search_courses("vibr spind")) == ["Perché la manutenzione"]  # every word, as a prefix
    assert titles(search_courses("PERCHE")) == titles(search_courses("perché")) == ["Perché la manutenzione"]
    assert titles(search_courses("predictive")) == ["Predictive maintenance"]  # the course itself
    hit = search_courses("bearings")[0]
    assert hit.title == "Bearings"  # in the title ranks first
    assert (hit.course_slug, hit.module_slug, hit.course_title) == ("maintenance", "bearings", "Predictive maintenance")
    course = db.session.scalar(select(Course).where(Course.slug == "maintenance"))
    assert hit.course_id == course.id and hit.module_id == course.modules[1].id
    assert "vibration tells you early" in hit.snippet


def test_italian_words_are_found_by_their_stem(indexed):
    # Snowball's Italian stemmer: the noun finds the verb, the plural the singular, on both databases.
    assert titles(search_courses("digitalizzazione")) == ["Verso il digitale"]
    assert titles(search_courses("digitalizzazione", language="it")) == ["Verso il digitale"]
    assert titles(search_courses("processo")) == ["Verso il digitale"]
    assert "digitalizzare i processi" in search_courses("digitalizzazione")[0].snippet
    assert search_courses("digitalizzazione", language="en") == []
    # English keeps working as a prefix and by stem ("bearing" finds "Bearings").
    assert titles(search_courses("bearing", language="en"))[0] == "Bearings"


def test_language_audience_and_limit_filter(indexed):
    assert titles(search_courses("vibration", language="it")) == ["Dati del personale"]
    assert set(titles(search_courses("vibration", audience="technician"))) == {"Perché la manutenzione", "Bearings"}
    assert titles(search_courses("vibration", audience="hr")) == ["Dati del personale"]
    assert search_courses("vibration", audience="%") == []
    assert len(search_courses("vibration", limit=1)) == 1


def test_only_published_live_content_is_found(indexed):
    old = db.session.scalar(select(Module).where(Module.slug == "old"))
    assert titles(search_courses("gearbox")) == ["Old module"]
    old.archived_at = old.created_at
    db.session.commit()
    assert search_courses("gearbox") == []
    bearings = db.session.scalar(select(Module).where(Module.slug == "bearings"))
    bearings.is_published = False
    db.session.commit()
    assert "Bearings" not in titles(search_courses("bearings"))
    course = db.session.scalar(select(Course).where(Course.slug == "hr-it"))
    course.is_published = False
    db.session.commit()
    assert search_courses("personale") == [] and search_courses("analisi") == []


def test_reindex_follows_an_edit(indexed):
    module = db.session.scalar(select(Module).where(Module.slug == "bearings"))
    module.body = "Thermography of electrical cabinets."
    search.reindex(module.course)
    db.session.commit()
    assert titles(search_courses("thermography")) == ["Bearings"]
    assert "Bearings" not in titles(search_courses("vibration"))


HOSTILE = ['"', '"unbalanced', "vibration\"", "*", "vib*", "-vibration", "vibration -bearings", "OR", "a OR b",
           "AND NOT", "NEAR(vibration bearings)", "title:vibration", "^vibration", "vibration:*", "!!", "& | !",
           "'; DROP TABLE courses; --", "\\", "\x00", "(", ")", "{}", "%", "_", "ÀÉÎ", "🙂", "x" * 5000,
           " ".join(["word"] * 500)]


def _xss_lines():
    lines = list(OWN_XSS)
    for name in ("PayloadsAllTheThings_XSS_Polyglots.txt", "SecLists_XSS-RSNAKE.txt"):
        path = Path(SHARED) / "fixtures" / "xss" / name
        if path.exists():
            lines += [line for line in path.read_text(errors="replace").splitlines() if line.strip()][:60]
    return lines


def test_hostile_queries_never_raise(indexed):
    for query in HOSTILE + _xss_lines():
        hits = search_courses(query)
        assert isinstance(hits, list), query
    assert titles(search_courses('"vibration')) == titles(search_courses("vibration"))
    assert titles(search_courses("-spindle OR")) == []  # words are words: "or" matches nothing here
    for empty in ("", "   ", "***", "\"\"", "-", "()"):
        assert search_courses(empty) == []


def test_snippets_are_plain_text(db_app, tmp_path):
    body = ("<script>alert('x')</script> **Bold** [link](javascript:alert(1)) <img src=https://example.org/x.png onerror=alert(2)> "
            "<svg onload=alert(3)></svg> the findme word\n\n```\n<b>code</b>\n```")
    make_course(tmp_path / "c", modules={"01-x.md": module_md("X", 5, body)})
    assert not loading.sync_content(courses=tmp_path / "c").errors
    db.session.commit()
    (hit,) = search_courses("findme")
    assert "<" not in hit.snippet.replace("<b>code</b>", "") and "alert" not in hit.snippet
    assert "Bold link the findme word" in hit.snippet


def test_the_shipped_courses_are_searchable(db_app):
    assert not loading.sync_content(courses=SHIPPED_COURSES).errors
    db.session.commit()
    assert {h.course_slug for h in search_courses("digital twin")} >= {"digitalization-101"}
    assert any(h.course_slug == "digital-hr" for h in search_courses("GDPR"))


def test_a_missing_fts_table_is_made_on_first_use(indexed):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 table exists only on SQLite")
    for statement in search.SQLITE_DROP:
        db.session.execute(text(statement))
    db.session.commit()
    assert titles(search_courses("gearbox")) == ["Old module"]  # rebuilt from search_documents
    db.session.commit()
    module = db.session.scalar(select(Module).where(Module.slug == "old"))
    module.body = "Now about pumps."
    search.reindex(module.course)
    db.session.commit()
    assert titles(search_courses("pumps")) == ["Old module"] and search_courses("gearbox") == []


def test_a_snippet_starts_near_the_first_word_that_starts_with_a_term_whatever_its_case_and_accents():
    body = " ".join(f"w{n}" for n in range(40)) + " PERCHÉ l'Ïndustria, «digitalizzata» " + " ".join(f"x{n}" for n in range(40))
    assert search.snippet(body, ["perche"]).startswith("… w28 w29") and "PERCHÉ l'Ïndustria" in search.snippet(body, ["perche"])
    assert search.snippet(body, ["industr"]).startswith("… w29 ")  # a word after an apostrophe starts a word
    assert search.snippet(body, ["digital"]).startswith("… w30 ")  # and one after a quotation mark
    assert search.snippet(body, ["ndustr"]) == search.snippet(body, ["nowhere"])  # inside a word: not a match
    assert search.snippet(body, ["nowhere"]).startswith("w0 w1") and search.snippet(body, ["nowhere"]).endswith(" …")
    assert search.snippet(body, ["x1", "w3"]).startswith("w0 ")  # the first word that matches any term
    assert search.snippet("ﬁne straße", ["strass"]) == "ﬁne straße" and search.snippet("", ["x"]) == ""


def test_a_snippet_follows_the_text_it_is_made_from():
    before = "Old words " * 30 + "about gearboxes."
    after = "Old words " * 2 + "about gearboxes."
    assert search.snippet(before, ["gearbox"]) == "… " + "words Old " * 5 + "words about gearboxes."
    assert search.snippet(after, ["gearbox"]) == "Old words Old words about gearboxes."
    with_nul = "a\0b " * 20 + "target word"  # a NUL inside a word: matched word by word, same answer
    assert search.snippet(with_nul, ["target"]) == "… " + " ".join(["a\0b"] * 12 + ["target", "word"])
