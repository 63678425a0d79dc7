"""Reading course folders and lab files: the shipped content, and every kind of bad file, each reported as
`path:line: message` with nothing written."""
import pytest

from lms.content import loading
from lms.content.frontmatter import MAX_BYTES
from lms.courses import files
from lms.courses.files import module_file_text, read_course, read_module
from lms.courses.images import image_links
from lms.extensions import db

from .content_factory import (
    COURSE_MD,
    PNG,
    SHIPPED_COURSES,
    SHIPPED_LABS,
    SVG,
    make_course,
    make_labs,
    module_md,
    snapshot,
    write,
)

SHIPPED_SLUGS = {"digitalization-101", "digital-hr", "digital-transformation-strategy"}


# The content that ships -------------------------------------------------------------------------------

def test_every_shipped_course_and_lab_is_valid(app):
    content = loading.check_content(courses=SHIPPED_COURSES, labs=SHIPPED_LABS)
    assert [str(e) for e in content.errors] == []
    assert {c.slug for c in content["courses"]} >= SHIPPED_SLUGS
    for course in content["courses"]:
        assert len(course.modules) >= 5, course.slug
        assert course.title and course.description and course.audience
        for module in course.modules:
            assert module.minutes > 0 and len(module.body.split()) > 300, module.path
    assert len(content["labs"]) >= 5
    for lab in content["labs"]:
        assert lab.seats > 0 and lab.equipment and "@" in lab.coordinator_email, lab.path


def test_module_fields_are_read_with_their_defaults(tmp_path):
    folder = make_course(tmp_path, modules={
        "01-intro.md": module_md("Intro", 15, "\n\nBody text.  \n\n", extra="summary: One line.\n"
                                 "quiz:\n  pass_mark: 80\n  shuffle_answers: false\n  show_feedback: never\n"),
        "010-late.md": module_md("Late", 5, "x", extra="audience: [ceo, ceo, hr]\n"),
    })
    write(folder / "01-intro.gift", "::Q1:: 1+1? {=2 ~3}")
    write(folder / "final.gift", "::F:: ok? {T}")
    course, errors = read_course(folder)
    assert errors == []
    assert course.slug == "test-course" and course.trainer_emails == ["trainer@example.com"]
    assert course.prerequisites == [] and course.final_quiz_settings == {}
    assert course.final_gift_path == folder / "final.gift"
    intro, late = course.modules
    assert (intro.slug, intro.position, intro.minutes, intro.summary) == ("intro", 1, 15, "One line.")
    assert intro.body == "Body text."
    assert intro.quiz_settings == {"pass_mark": 80, "shuffle_answers": False, "show_feedback": "never"}
    assert intro.gift_path == folder / "01-intro.gift" and intro.audience is None
    assert (late.slug, late.position, late.audience, late.gift_path) == ("late", 10, ["ceo", "hr"], None)


def test_a_module_written_back_reads_the_same(tmp_path):
    folder = make_course(tmp_path, modules={"03-x.md": module_md(
        "'Yes: no, \"quoted\" — è'", 7, "# Head\n\n- a\n- b\n", extra="audience: [hr]\nsummary: 'on'\n"
        "quiz:\n  grade: last\n  attempts: 0\n")})
    module, errors = read_module(folder / "03-x.md", folder)
    assert errors == []
    write(folder / "03-x.md", module_file_text(module))
    again, errors = read_module(folder / "03-x.md", folder)
    assert errors == []
    assert files.module_values(again) == files.module_values(module)
    assert again.content_hash == module.content_hash


def test_image_links_skip_code_and_find_every_syntax():
    body = ("![a](media/a.png)\n```\n![code](media/nope.png)\n```\nText `![span](media/nope.png)` and "
            "<img alt=x src='media/b.svg'> and ![ref][pic] ![c](<media/c d.png> \"title\")\n\n[pic]: media/r.png\n")
    assert image_links(body) == [(0, "media/a.png"), (4, "media/b.svg"), (4, "media/c d.png"), (6, "media/r.png")]


def test_absolute_and_existing_images_are_accepted(tmp_path):
    folder = make_course(tmp_path, modules={"01-a.md": module_md(body=(
        "![ok](media/chart.png) ![ok](./media/chart.png) ![web](https://example.org/x.png) ![anchor](#x)"))})
    write(folder / "media" / "chart.png", PNG)
    assert read_course(folder)[1] == []


# Bad files: the exact `path:line:`, and the database unchanged ---------------------------------------

def _replace(name, text):
    def apply(courses, labs):
        write(courses / "test-course" / name, text)
    return apply


def _module(name, extra="", minutes="10", body="Text.", title="Sensors"):
    return _replace(name, f"---\ntitle: {title}\nminutes: {minutes}\n{extra}---\n{body}\n")


def _course(old, new):
    return _replace("course.md", COURSE_MD.replace(old, new, 1))


def _remove(name):
    def apply(courses, labs):
        (courses / "test-course" / name).unlink()
    return apply


def _lab(text):
    def apply(courses, labs):
        write(labs / "test-lab.md", text)
    return apply


LAB_OK = ("---\nname: Lab\nvenue: V\naddress: A\nseats: 4\nequipment: [x]\ncoordinator: c@example.com\n"
          "---\nBody.\n")
C, L = "courses/test-course", "labs"

BAD = {
    "unknown key": (_module("02-sensors.md", "colour: red\n"), f"{C}/02-sensors.md", 4,
                    "unknown key 'colour' (allowed: title, minutes, audience, summary, quiz, optional)"),
    "missing key": (_replace("02-sensors.md", "---\nminutes: 5\n---\nText.\n"), f"{C}/02-sensors.md", 1,
                    "missing required key 'title'"),
    "minutes as text": (_module("02-sensors.md", minutes="ten"), f"{C}/02-sensors.md", 3,
                        "minutes: must be a whole number of at least 1, not 'ten'"),
    "zero minutes": (_module("02-sensors.md", minutes="0"), f"{C}/02-sensors.md", 3,
                     "minutes: must be a whole number of at least 1, not the number 0"),
    "boolean minutes": (_module("02-sensors.md", minutes="true"), f"{C}/02-sensors.md", 3,
                        "minutes: must be a whole number of at least 1, not true (true/false)"),
    "number as title": (_module("02-sensors.md", title="2025"), f"{C}/02-sensors.md", 2,
                        "title: must be text, not the number 2025 (put it in quotes)"),
    "pass mark": (_module("02-sensors.md", "quiz:\n  attempts: 2\n  pass_mark: 120\n"), f"{C}/02-sensors.md", 6,
                  "quiz.pass_mark: must be a whole number from 0 to 100, not the number 120"),
    "feedback": (_module("02-sensors.md", "quiz:\n  show_feedback: sometimes\n"), f"{C}/02-sensors.md", 5,
                 "quiz.show_feedback: must be one of immediately, after_last_attempt, never, not 'sometimes'"),
    "shuffle": (_module("02-sensors.md", "quiz:\n  shuffle_answers: yes please\n"), f"{C}/02-sensors.md", 5,
                "quiz.shuffle_answers: must be true or false, not 'yes please'"),
    "quiz key": (_module("02-sensors.md", "quiz:\n  colour: red\n"), f"{C}/02-sensors.md", 5,
                 "unknown key 'quiz.colour'"),
    "quiz type": (_module("02-sensors.md", "quiz: 5\n"), f"{C}/02-sensors.md", 4,
                  "quiz: must be a mapping of keys to values, not the number 5"),
    "required lab": (_course("---\nThe", "lab: nowhere\n---\nThe"), f"{C}/course.md", 1,
                     "lab: no lab 'nowhere' in the labs folder"),
    "optional not boolean": (_module("02-sensors.md", "optional: perhaps\n"), f"{C}/02-sensors.md", 4,
                             "optional: must be true or false, not 'perhaps'"),
    "final quiz": (_course("---\nThe", "final_quiz:\n  grade: worst\n---\nThe"), f"{C}/course.md", 8,
                   "final_quiz.grade: must be one of best, last, not 'worst'"),
    "language": (_course("language: en", "language: fr"), f"{C}/course.md", 4,
                 "language: must be one of en, it, not 'fr'"),
    "empty audience": (_course("[manager, technician]", "[]"), f"{C}/course.md", 5,
                       "audience: must list at least one of ceo, manager, technician, hr"),
    "unknown audience": (_module("02-sensors.md", "audience: [ceo, boss]\n"), f"{C}/02-sensors.md", 4,
                         "audience: 'boss' is not one of ceo, manager, technician, hr"),
    "trainer e-mail": (_course("trainer@example.com", "trainer, other@x.org"),
                       f"{C}/course.md", 6, "trainers: entry 1 must be an e-mail address, not 'trainer'"),
    "duplicate key": (_module("02-sensors.md", "title: Again\n"), f"{C}/02-sensors.md", 4,
                      "title: the key is written twice"),
    "yaml error": (_replace("02-sensors.md", "---\ntitle: [unclosed\nminutes: 5\n---\n"), f"{C}/02-sensors.md", 3,
                   "invalid YAML in the front matter: expected ',' or ']', but got ':'"),
    "yaml tab": (_replace("02-sensors.md", "---\ntitle: x\n\tminutes: 5\n---\n"), f"{C}/02-sensors.md", 3,
                 "invalid YAML in the front matter:"),
    "front matter list": (_replace("02-sensors.md", "---\n- a\n- b\n---\nText\n"), f"{C}/02-sensors.md", 2,
                          "the front matter must be a mapping of keys to values (it is a list)"),
    "front matter text": (_replace("course.md", "---\njust words\n---\nText\n"), f"{C}/course.md", 2,
                          "the front matter must be a mapping of keys to values (it is 'just words')"),
    "front matter empty": (_replace("02-sensors.md", "---\n---\nText\n"), f"{C}/02-sensors.md", 2,
                           "the front matter must be a mapping of keys to values (it is empty)"),
    "no front matter": (_replace("02-sensors.md", "# Sensors\n\nText.\n"), f"{C}/02-sensors.md", 1,
                        "the file must start with front matter"),
    "unclosed": (_replace("02-sensors.md", "---\ntitle: Sensors\nminutes: 5\n"), f"{C}/02-sensors.md", 1,
                 "the front matter is not closed"),
    "empty file": (_replace("02-sensors.md", ""), f"{C}/02-sensors.md", 1, "the file is empty"),
    "blank file": (_replace("course.md", " \n\n\t\n"), f"{C}/course.md", 1, "the file is empty"),
    "not utf-8": (_replace("02-sensors.md", b"---\ntitle: Caf\xe9\nminutes: 5\n---\n"), f"{C}/02-sensors.md", 2,
                  "not valid UTF-8 (byte offset 14); save the file as UTF-8"),
    "utf-16": (_replace("course.md", COURSE_MD.encode("utf-16")), f"{C}/course.md", 1,
               "not valid UTF-8 (byte offset 0)"),
    "NUL byte": (_replace("02-sensors.md", "---\ntitle: x\nminutes: 5\n---\nA\nB\x00\n"), f"{C}/02-sensors.md", 6,
                 "the file contains a NUL character"),
    "enormous": (_replace("02-sensors.md", module_md(body="x" * MAX_BYTES)), f"{C}/02-sensors.md", 1,
                 f"the file is too large ({MAX_BYTES + 41:,} bytes; the limit is 1 MB)"),
    "bad module name": (_replace("1-extra.md", module_md()), f"{C}/1-extra.md", 1, "not a module file name"),
    "upper-case name": (_replace("03-Extra_Bits.md", module_md()), f"{C}/03-Extra_Bits.md", 1,
                        "not a module file name"),
    "duplicate slug": (_replace("03-intro.md", module_md()), f"{C}/03-intro.md", 1,
                       "duplicate module slug 'intro' (also 01-intro.md)"),
    "missing image": (_module("02-sensors.md", body="Intro.\n\n![A chart](media/missing.png)"), f"{C}/02-sensors.md",
                      7, "image 'media/missing.png' not found"),
    "image outside": (_module("02-sensors.md", body="![x](../other/media/a.png)"), f"{C}/02-sensors.md", 5,
                      "image '../other/media/a.png' points outside test-course/"),
    "image climbing": (_module("02-sensors.md", body="![x](media/../../../etc/a.png)"), f"{C}/02-sensors.md", 5,
                       "points outside test-course/"),
    "html image outside": (_module("02-sensors.md", body="<img src='media/../../x.png'>"), f"{C}/02-sensors.md", 5,
                            "points outside test-course/"),
    "image not in media": (_module("02-sensors.md", body="![x](pics/a.png)"), f"{C}/02-sensors.md", 5,
                           "image 'pics/a.png' must be in test-course/media/"),
    "not an image": (_module("02-sensors.md", body="![x](media/notes.txt)"), f"{C}/02-sensors.md", 5,
                     "image 'media/notes.txt' is not an image file"),
    "course image": (_replace("course.md", COURSE_MD + "\n![x](media/gone.svg)\n"), f"{C}/course.md", 10,
                     "image 'media/gone.svg' not found"),
    "stray gift": (_replace("05-nothing.gift", "::Q:: x {T}"), f"{C}/05-nothing.gift", 1, "stray quiz file"),
    "gift of a renumbered module": (_replace("09-intro.gift", "::Q:: x {T}"), f"{C}/09-intro.gift", 1,
                                    "stray quiz file: no module file 09-intro.md"),
    "missing course.md": (_remove("course.md"), f"{C}/course.md", 1, "missing: every course folder needs a course.md"),
    "course folder name": (lambda courses, labs: make_course(courses, "Bad_Course"), "courses/Bad_Course/course.md",
                           1, "the folder name 'Bad_Course' is not a course slug"),
    "lab seats": (_lab(LAB_OK.replace("seats: 4", "seats: 0")), f"{L}/test-lab.md", 5,
                  "seats: must be a whole number of at least 1, not the number 0"),
    "lab coordinator": (_lab(LAB_OK.replace("c@example.com", "Carla")), f"{L}/test-lab.md", 7,
                        "coordinator: must be an e-mail address, not 'Carla'"),
    "lab equipment": (_lab(LAB_OK.replace("[x]", "a cobot")), f"{L}/test-lab.md", 6,
                      "equipment: must be a list like [a, b], not 'a cobot'"),
    "lab unknown key": (_lab(LAB_OK.replace("seats: 4", "seats: 4\nprice: 10")), f"{L}/test-lab.md", 6,
                        "unknown key 'price'"),
    "lab missing key": (_lab(LAB_OK.replace("venue: V\n", "")), f"{L}/test-lab.md", 1, "missing required key 'venue'"),
    "lab file name": (lambda courses, labs: write(labs / "Big Lab.md", LAB_OK), f"{L}/Big Lab.md", 1,
                      "the file name 'Big Lab.md' is not a lab slug"),
    "lab image missing": (_lab(LAB_OK.replace("seats: 4", "seats: 4\nimage: media/gone.svg")), f"{L}/test-lab.md",
                          6, "image 'media/gone.svg' not found"),
    "lab image outside": (_lab(LAB_OK.replace("seats: 4", "seats: 4\nimage: media/../../x.svg")),
                          f"{L}/test-lab.md", 6, "image 'media/../../x.svg' points outside labs/"),
    "lab image not in media": (_lab(LAB_OK.replace("seats: 4", "seats: 4\nimage: pics/x.svg")), f"{L}/test-lab.md",
                               6, "image 'pics/x.svg' must be in labs/media/"),
    "lab image not an image": (_lab(LAB_OK.replace("seats: 4", "seats: 4\nimage: media/notes.txt")),
                               f"{L}/test-lab.md", 6, "image 'media/notes.txt' is not an image file"),
}


@pytest.fixture
def synced(app, tmp_path):
    """A valid course and lab, synced and committed; returns (courses_dir, labs_dir)."""
    courses, labs = tmp_path / "courses", tmp_path / "labs"
    make_course(courses)
    make_labs(labs)
    assert not loading.sync_content(courses=courses, labs=labs).errors
    db.session.commit()
    return courses, labs


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_reported_at_its_line_and_nothing_is_written(synced, tmp_path, case):
    courses, labs = synced
    breaker, path, line, message = BAD[case]
    write(courses / "test-course" / "04-new-valid.md", module_md("A new module"))  # would be added
    write(labs / "another-lab.md", LAB_OK)
    breaker(courses, labs)
    before = snapshot()
    report = loading.sync_content(courses=courses, labs=labs)
    printed = [str(e) for e in report.errors]
    prefix = f"{tmp_path / path}:{line}: "
    assert any(p.startswith(prefix) and message in p for p in printed), printed
    assert snapshot() == before


def test_every_error_of_every_file_is_reported_together(synced, tmp_path):
    courses, labs = synced
    for case in ("unknown key", "language", "stray gift", "lab seats", "bad module name"):
        BAD[case][0](courses, labs)
    printed = [str(e) for e in loading.check_content(courses=courses, labs=labs).errors]
    for case in ("unknown key", "language", "stray gift", "lab seats", "bad module name"):
        _, path, line, message = BAD[case]
        assert any(p.startswith(f"{tmp_path / path}:{line}: ") and message in p for p in printed), (case, printed)


def test_missing_folders_are_errors(app, tmp_path):
    content = loading.check_content(courses=tmp_path / "nope", labs=tmp_path / "nolabs")
    assert [str(e) for e in content.errors] == [f"{tmp_path / 'nope'}:1: no such folder",
                                                f"{tmp_path / 'nolabs'}:1: no such folder"]


def test_a_lab_image_is_read_and_synced(synced, tmp_path):
    """`image:` names a file under labs/media/; sync stores it, and changes and removals reach the row."""
    from lms.labs.models import Lab

    courses, labs = synced
    write(labs / "media" / "cell.svg", SVG)
    write(labs / "media" / "bench.png", PNG)
    write(labs / "test-lab.md", LAB_OK.replace("seats: 4", "seats: 4\nimage: media/cell.svg"))
    content = loading.check_content(labs=labs)
    assert content.errors == [] and content["labs"][0].image == "media/cell.svg"
    assert not loading.sync_content(courses=courses, labs=labs).errors
    assert db.session.scalar(db.select(Lab).filter_by(slug="test-lab")).image == "media/cell.svg"
    write(labs / "test-lab.md", LAB_OK.replace("seats: 4", "seats: 4\nimage: media/bench.png"))
    assert not loading.sync_content(courses=courses, labs=labs).errors
    assert db.session.scalar(db.select(Lab).filter_by(slug="test-lab")).image == "media/bench.png"
    write(labs / "test-lab.md", LAB_OK)
    assert not loading.sync_content(courses=courses, labs=labs).errors
    assert db.session.scalar(db.select(Lab).filter_by(slug="test-lab")).image is None


def test_every_shipped_lab_has_a_diagram(app):
    for lab in loading.check_content(labs=SHIPPED_LABS)["labs"]:
        assert lab.image == f"media/{lab.slug}.svg", lab.slug
        svg = (SHIPPED_LABS / lab.image).read_text()
        assert 'viewBox="0 0 640 360"' in svg and "<script" not in svg and "href" not in svg, lab.slug
