"""Reading: catalogue filters and search, the course page, the module page, completion, progress and resume."""
import re
from html.parser import HTMLParser

from lms.courses import enrolment, search
from lms.courses.models import Course
from lms.extensions import db
from tests.courses.reading_factories import NOW, make_course


def _index(*courses):
    for course in courses:
        search.reindex(course)
    db.session.commit()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


# Catalogue ----------------------------------------------------------------------------------------------

def test_catalogue_lists_published_courses_only(app, client):
    make_course("digital-basics", "Digital basics")
    make_course("secret-draft", "Secret draft", published=False)
    make_course("empty-course", "Empty course", modules=0)  # nothing to read yet
    page = client.get("/courses/").get_data(as_text=True)
    assert "Digital basics" in page
    assert "Secret draft" not in page and "Empty course" not in page
    assert "1 course." in page


def test_catalogue_filters_by_role_and_language(app, client):
    make_course("for-hr", "People analytics", audience=("hr",), language="it")
    make_course("for-tech", "Sensors", audience=("technician",), language="en")
    make_course("mixed", "Mixed", audience=("ceo",), module_audiences={2: ["technician"]})
    tech = client.get("/courses/?audience=technician").get_data(as_text=True)
    assert "Sensors" in tech and "Mixed" in tech and "People analytics" not in tech
    italian = client.get("/courses/?language=it").get_data(as_text=True)
    assert "People analytics" in italian and "Sensors" not in italian
    nothing = client.get("/courses/?audience=hr&language=en").get_data(as_text=True)
    assert "No course matches your search." in nothing and "Show all courses" in nothing
    bogus = client.get("/courses/?audience=<script>&language=xx")  # unknown values are ignored
    assert bogus.status_code == 200 and "Sensors" in bogus.get_data(as_text=True)


def test_catalogue_empty_state(app, client):
    page = client.get("/courses/").get_data(as_text=True)
    assert "No course is published yet." in page


def test_search_finds_titles_and_module_text_of_visible_content(app, client):
    course = make_course("digital-basics", "Digital basics")
    other = make_course("other", "Other things")
    course.modules[1].body = "All about vibration analysis on spindles."
    course.modules[2].body = "Vibration again, but this module is a draft."
    course.modules[2].is_published = False
    _index(course, other)
    page = client.get("/courses/?q=vibration").get_data(as_text=True)
    assert "Digital basics" in page and "Other things" not in page
    assert "/courses/digital-basics/m2" in page  # the matching module is linked
    assert "/courses/digital-basics/m3" not in page  # the draft module is not
    assert "vibration analysis" in page
    assert "Other things" in client.get("/courses/?q=other").get_data(as_text=True)
    assert "No course matches" in client.get("/courses/?q=zzzunknown").get_data(as_text=True)


def test_the_catalogue_shows_each_learner_their_own_progress_and_a_draft_course_to_nobody(
        app, client, create_user, login):
    ann, bob = create_user("ann@example.com", "Ann"), create_user("bob@example.com", "Bob")
    course = make_course("digital-basics", "Digital basics", modules=4)
    other = make_course("other", "Other things")
    make_course("secret", "Secret vibration draft", published=False)
    for user in (ann, bob):
        enrolment.enrol(user, course, now=NOW)
    enrolment.enrol(ann, other, now=NOW)
    enrolment.mark_complete(ann, course.modules[0], NOW)
    enrolment.mark_complete(bob, course.modules[0], NOW)
    enrolment.mark_complete(bob, course.modules[1], NOW)
    course.modules[3].is_published = False  # a draft module counts for no one's progress
    db.session.commit()
    _index(*db.session.scalars(db.select(Course)))

    def bars(html):
        return dict(re.findall(r'aria-label="Your progress in ([^"]+)" aria-valuenow="(\d+)"', html))

    login("ann@example.com")
    assert bars(client.get("/courses/").get_data(as_text=True)) == {"Digital basics": "33", "Other things": "0"}
    client.post("/logout")
    login("bob@example.com")
    page = client.get("/courses/").get_data(as_text=True)
    assert bars(page) == {"Digital basics": "66"} and "Secret" not in page
    assert "Secret" not in client.get("/courses/?q=secret").get_data(as_text=True)
    assert bars(client.get("/courses/?q=digital").get_data(as_text=True)) == {"Digital basics": "66"}


def test_search_query_is_escaped_in_the_page(app, client):
    make_course()
    page = client.get("/courses/?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# Course page ---------------------------------------------------------------------------------------------

def test_course_page_shows_syllabus_trainers_and_prerequisites(app, client, create_user):
    create_user("giulia@example.com", "Giulia Ferri", roles=("trainer",))
    basics = make_course("basics", "Basics")
    course = make_course("advanced", "Advanced", trainers=["giulia@example.com", "nobody@example.com"],
                         description="Read **this** first.")
    course.prerequisites = ["basics", "Some spreadsheet practice"]
    db.session.commit()
    response = client.get("/courses/advanced")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Summary of Advanced." in page
    assert "Module 1" in page and "Module 3" in page
    assert "10 min" in page and "30 min" in page and "1 h" in page and "1 h 00 min" not in page  # per module and total
    assert "Giulia Ferri" in page and "nobody@example.com" in page  # account name, else the e-mail
    assert f'href="/courses/{basics.slug}"' in page and "Some spreadsheet practice" in page
    assert "<strong>this</strong>" in page
    assert "Sign in to enrol" in page


def test_a_draft_prerequisite_is_named_but_not_linked(app, client):
    make_course("basics", "Basics")
    make_course("hidden", "Hidden draft", published=False)
    course = make_course("advanced", "Advanced")
    course.prerequisites = ["hidden", " basics ", "missing-course"]
    db.session.commit()
    page = client.get("/courses/advanced").get_data(as_text=True)
    assert 'href="/courses/basics">Basics</a>' in page
    assert "<li>hidden</li>" in page and "Hidden draft" not in page and 'href="/courses/hidden"' not in page
    assert "<li>missing-course</li>" in page


def test_course_page_path_for_my_role_filters_the_syllabus(app, client):
    make_course("paths", "Paths", audience=("ceo", "technician"), modules=3,
                module_audiences={1: ["ceo"], 2: ["technician"]})
    page = client.get("/courses/paths?role=ceo").get_data(as_text=True)
    assert "/courses/paths/m1" in page and "/courses/paths/m2" not in page
    assert "/courses/paths/m3" in page  # module 3 follows the course's audience, which includes ceo
    assert "The path for CEO: 2 of 3 modules" in page
    full = client.get("/courses/paths").get_data(as_text=True)
    assert "/courses/paths/m2" in full and 'id="role"' in full


def test_drafts_are_hidden_from_learners_and_shown_to_trainers(app, client, create_user, login):
    create_user()
    create_user("trainer@example.com", "Tina Trainer", roles=("trainer",))
    draft = make_course("draft-course", "Draft course", published=False, trainers=["trainer@example.com"])
    live = make_course("live-course", "Live course", trainers=["trainer@example.com"])
    live.modules[1].is_published = False
    db.session.commit()
    assert client.get("/courses/draft-course").status_code == 404
    login()
    assert client.get("/courses/draft-course").status_code == 404
    assert client.get("/courses/draft-course/m1").status_code == 404
    assert client.get("/courses/live-course/m2").status_code == 404
    assert "/courses/live-course/m2" not in client.get("/courses/live-course").get_data(as_text=True)
    client.post("/logout")
    login("trainer@example.com")
    page = client.get("/courses/draft-course").get_data(as_text=True)
    assert "This course is a draft" in page and "Edit this course" in page
    assert client.get("/courses/live-course/m2").status_code == 200
    assert draft.slug == "draft-course"


def test_archived_modules_are_hidden_even_from_trainers_syllabus(app, client, create_user, login):
    create_user()
    course = make_course()
    course.modules[0].archived_at = NOW
    db.session.commit()
    login()
    assert client.get("/courses/digital-basics/m1").status_code == 404
    assert "/courses/digital-basics/m1" not in client.get("/courses/digital-basics").get_data(as_text=True)


# Module page ---------------------------------------------------------------------------------------------

def test_module_page_needs_sign_in(app, client):
    make_course()
    response = client.get("/courses/digital-basics/m1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_module_page_has_toc_navigation_minutes_and_rendered_markdown(app, client, create_user, login):
    create_user()
    make_course()
    login()
    response = client.get("/courses/digital-basics/m2")
    html = response.get_data(as_text=True)
    parsed = _parse(html)
    assert response.status_code == 200
    # Table of contents: links to the ids of the rendered headings (prefixed, so they never clash with the page's).
    for anchor in ("user-content-first-part", "user-content-a-detail", "user-content-second-part"):
        assert f"#{anchor}" in parsed.hrefs and anchor in parsed.ids
    assert "/courses/digital-basics/m1" in parsed.hrefs and "/courses/digital-basics/m3" in parsed.hrefs
    assert "Module 2 of 3" in html and "about 20 min" in html
    assert "<table>" in html and 'class="codehilite"' in html and 'class="admonition note"' in html
    assert 'class="footnote"' in html
    # Relative image paths point at the course's media route.
    assert 'src="/courses/digital-basics/files/media/value-chain.svg"' in html
    assert "Enrol in the course to keep your progress" in html
    assert "Mark as complete" not in html


def test_first_and_last_module_have_one_neighbour(app, client, create_user, login):
    create_user()
    make_course(modules=2)
    login()
    first = _parse(client.get("/courses/digital-basics/m1").get_data(as_text=True)).hrefs
    last = client.get("/courses/digital-basics/m2").get_data(as_text=True)
    assert "/courses/digital-basics/m2" in first
    assert 'rel="prev"' in last and 'rel="next"' not in last and "Back to the course" in last


def test_learner_enrols_reads_completes_and_resumes(app, client, create_user, login):
    lea = create_user()
    course = make_course(modules=3)
    login()
    client.post("/courses/digital-basics/enrol")
    # Reading a module records where to resume.
    client.get("/courses/digital-basics/m2")
    assert enrolment.get_enrolment(lea, course).last_module.slug == "m2"
    page = client.get("/courses/digital-basics").get_data(as_text=True)
    assert "Resume: Module 2" in page and 'aria-valuenow="0"' in page

    module_page = client.get("/courses/digital-basics/m2").get_data(as_text=True)
    assert "Mark as complete" in module_page
    response = client.post("/courses/digital-basics/m2/complete", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Module complete: 1 of 3 modules done." in html and "You completed this module." in html
    assert "Mark as complete" not in html

    page = client.get("/courses/digital-basics").get_data(as_text=True)
    assert 'aria-valuenow="33"' in page and "1 of 3 modules complete" in page
    assert re.search(r'badge text-bg-success">Complete<', page)

    for slug in ("m1", "m3"):
        client.post(f"/courses/digital-basics/{slug}/complete")
    done = client.get("/courses/digital-basics").get_data(as_text=True)
    assert 'aria-valuenow="100"' in done
    assert enrolment.get_enrolment(lea, course).completed_at is not None


def test_complete_without_enrolment_is_refused(app, client, create_user, login):
    create_user()
    make_course()
    login()
    response = client.post("/courses/digital-basics/m1/complete", follow_redirects=True)
    assert "Enrol in the course first" in response.get_data(as_text=True)


def test_course_media_is_served_for_visible_courses_only(app, client, create_user, login, tmp_path):
    folder = tmp_path / "uploads" / "courses" / "digital-basics" / "media"
    folder.mkdir(parents=True)
    (folder / "dot.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
                                     b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    make_course()
    response = client.get("/courses/digital-basics/files/media/dot.gif")
    assert response.status_code == 200 and response.mimetype == "image/gif"
    assert client.get("/courses/digital-basics/files/media/missing.gif").status_code == 404
    assert client.get("/courses/digital-basics/files/../secret").status_code == 404
    db.session.get(Course, 1).is_published = False
    db.session.commit()
    assert client.get("/courses/digital-basics/files/media/dot.gif").status_code == 404
