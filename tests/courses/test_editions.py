"""Editions of one course in several languages, covers, the labs a course names, and lab translations."""
from lms.content import loading
from lms.courses.models import Course
from lms.extensions import db
from lms.labs.models import Lab

from .content_factory import COURSE_MD, LAB_MD, SVG, make_course, make_labs, write

ITALIAN_MD = COURSE_MD.replace("language: en", "language: it").replace("title: Test course", "title: Corso di prova")


def _edition(root, original="test-course", extra=""):
    text = ITALIAN_MD.replace("---\nThe course", f"translation_of: {original}\n{extra}---\nThe course")
    return make_course(root, "corso-di-prova", course_md=text)


def test_an_edition_names_its_original_and_sync_stores_it(app, tmp_path):
    courses, labs = tmp_path / "courses", make_labs(tmp_path / "labs", ["test-lab"])
    make_course(courses, course_md=COURSE_MD.replace("---\nThe course", "labs: [test-lab]\ncover: media/c.svg\n"
                                                     "---\nThe course"))
    write(courses / "test-course" / "media" / "c.svg", SVG)
    _edition(courses)
    content = loading.check_content(courses=courses, labs=labs)
    assert [str(e) for e in content.errors] == []
    loading.sync_content(courses=courses, labs=labs)
    db.session.commit()
    italian = db.session.scalar(db.select(Course).filter_by(slug="corso-di-prova"))
    original = db.session.scalar(db.select(Course).filter_by(slug="test-course"))
    assert italian.translation_of == "test-course" and italian.language == "it"
    assert original.translation_of is None and original.cover == "media/c.svg"
    assert original.lab_slugs == ["test-lab"]


def test_bad_links_between_files_are_reported_at_their_file(app, tmp_path):
    courses, labs = tmp_path / "courses", make_labs(tmp_path / "labs", ["test-lab"])
    make_course(courses, course_md=COURSE_MD.replace("---\nThe course", "labs: [no-such-lab]\n---\nThe course"))
    make_course(courses, "no-cover", course_md=COURSE_MD.replace("---\nThe course", "cover: media/x.svg\n---\nThe course"))
    _edition(courses, original="missing-course")
    messages = [str(e) for e in loading.check_content(courses=courses, labs=labs).errors]
    assert any("corso-di-prova/course.md:1: translation_of: no course 'missing-course'" in m for m in messages)
    assert any("test-course/course.md:1: labs: no lab 'no-such-lab'" in m for m in messages)
    assert any("no-cover/course.md" in m and "x.svg" in m for m in messages)


def test_an_edition_in_the_same_language_or_of_an_edition_is_refused(app, tmp_path):
    courses = tmp_path / "courses"
    make_course(courses)
    make_course(courses, "same-language", course_md=COURSE_MD.replace("---\nThe course",
                                                                       "translation_of: test-course\n---\nThe course"))
    _edition(courses)
    make_course(courses, "edition-of-edition", course_md=COURSE_MD.replace(
        "---\nThe course", "translation_of: corso-di-prova\n---\nThe course"))
    messages = [str(e) for e in loading.check_content(courses=courses).errors]
    assert any("same-language/course.md:1: translation_of: 'test-course' is in the same language" in m
               for m in messages)
    assert any("edition-of-edition/course.md:1: translation_of: 'corso-di-prova' is itself an edition" in m
               for m in messages)


def test_a_lab_translation_is_stored_with_its_lab_and_shown_by_language(app, tmp_path):
    labs = make_labs(tmp_path / "labs", ["test-lab"])
    write(labs / "it" / "test-lab.md", "---\nname: Laboratorio di prova\nfee: Gratuito\n---\nCosa si vede.\n")
    write(labs / "it" / "orphan.md", "---\nname: Orfano\n---\nx\n")
    content = loading.check_content(labs=labs)
    assert [str(e) for e in content.errors] == [f"{labs / 'it' / 'orphan.md'}:1: no lab file orphan.md in {labs} "
                                                "for this translation"]
    (labs / "it" / "orphan.md").unlink()
    write(labs / "test-lab.md", LAB_MD.replace("---\nWhat", "fee: Free\nlanguages: [it, en]\n---\nWhat"))
    loading.sync_content(labs=labs)
    db.session.commit()
    lab = db.session.scalar(db.select(Lab))
    assert lab.fee == "Free" and lab.languages == ["it", "en"]
    assert lab.text("name", "it") == "Laboratorio di prova" and lab.text("name", "en") == "Test lab"
    assert lab.text("description", "it") == "Cosa si vede." and lab.text("venue", "it") == "A test venue"


# Pages and API --------------------------------------------------------------------------------------

def _two_editions():
    from tests.courses.reading_factories import make_course as make_db_course

    english = make_db_course(slug="data-basics", title="Data basics")
    italian = make_db_course(slug="basi-dei-dati", title="Basi dei dati", language="it")
    italian.translation_of = "data-basics"
    make_db_course(slug="zeta", title="Aardvark other course")
    db.session.commit()
    return english, italian


def test_italian_readers_see_italian_editions_first_and_one_edition_per_course_at_home(client):
    _two_editions()
    client.post("/language", data={"language": "it"})
    page = client.get("/courses/").get_data(as_text=True)
    assert page.index("Basi dei dati") < page.index("Aardvark other course") < page.index("Data basics")
    home = client.get("/").get_data(as_text=True)
    assert "Basi dei dati" in home and "Data basics" not in home
    client.post("/language", data={"language": "en"})
    home = client.get("/").get_data(as_text=True)
    assert "Data basics" in home and "Basi dei dati" not in home
    page = client.get("/courses/").get_data(as_text=True)
    assert page.index("Aardvark other course") < page.index("Data basics") < page.index("Basi dei dati")


def test_a_course_page_links_its_other_editions(client):
    _two_editions()
    page = client.get("/courses/data-basics").get_data(as_text=True)
    assert 'href="/courses/basi-dei-dati" hreflang="it"' in page and "Also in Italian" in page
    client.post("/language", data={"language": "it"})
    page = client.get("/courses/basi-dei-dati").get_data(as_text=True)
    assert 'href="/courses/data-basics" hreflang="en"' in page and "Disponibile anche in inglese" in page
    assert "Disponibile anche" not in client.get("/courses/zeta").get_data(as_text=True)


def test_a_draft_edition_is_not_linked_and_the_page_of_a_draft_is_not_found(client):
    english, italian = _two_editions()
    italian.is_published = False
    db.session.commit()
    page = client.get("/courses/data-basics").get_data(as_text=True)
    assert "basi-dei-dati" not in page and "Also in Italian" not in page
    assert client.get("/courses/basi-dei-dati").status_code == 404
    assert client.get("/courses/no-such-course").status_code == 404


def test_the_api_tells_which_edition_is_which(client, create_user):
    from lms.auth import accounts

    _two_editions()
    _row, token = accounts.create_api_token(create_user(), "t")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    italian = client.get("/api/v1/courses/basi-dei-dati", headers=headers).get_json()
    assert italian["language"] == "it" and italian["translation_of"] == "data-basics"
    assert [(e["slug"], e["language"]) for e in italian["editions"]] == [("data-basics", "en")]
    english = client.get("/api/v1/courses/data-basics", headers=headers).get_json()
    assert english["translation_of"] is None and [e["slug"] for e in english["editions"]] == ["basi-dei-dati"]
