"""What the speed work caches never trades correctness: a change is visible on the next request, drafts stay
hidden, progress stays per learner, and template translations follow each request's language."""
from lms.courses import enrolment
from lms.courses.models import Module
from lms.extensions import db
from tests.conftest import PASSWORD
from tests.courses.reading_factories import NOW, make_course


def _page(client, path="/courses/digital-basics/m2"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_edit_shows_on_the_next_request(app, client, create_user, login):
    create_user()
    login()
    make_course()
    assert "Module 2</h1>" in _page(client) or "Module 2 " in _page(client)
    module = db.session.scalar(db.select(Module).where(Module.slug == "m2"))
    module.title, module.minutes = "Sensors on old machines", 45
    module.body = module.body.replace("## First part", "## Retrofit kits")
    db.session.commit()
    html = _page(client)
    assert "Sensors on old machines" in html and "about 45 min" in html and "Module 2" not in html.split("<h1")[1][:80]
    assert "#user-content-retrofit-kits" in html and "user-content-first-part" not in html
    # The neighbours' links follow their titles too.
    neighbour = db.session.scalar(db.select(Module).where(Module.slug == "m3"))
    neighbour.title = "Data from the shop floor"
    db.session.commit()
    assert "Next: Data from the shop floor" in _page(client).replace("\n", " ").replace("  ", " ")


def test_the_course_page_syllabus_follows_an_edit_and_each_learners_progress(app, client, create_user, login):
    ann = create_user("ann@example.com", "Ann")
    create_user("bob@example.com", "Bob")
    course = make_course()
    enrolment.enrol(ann, course, now=NOW)
    enrolment.mark_complete(ann, course.modules[0], NOW)
    db.session.commit()
    login("ann@example.com", PASSWORD)
    assert ">Complete<" in _page(client, "/courses/digital-basics")
    module = db.session.scalar(db.select(Module).where(Module.slug == "m1"))
    module.title, module.minutes, module.summary = "Why digital now", 75, "The case for starting."
    db.session.commit()
    html = _page(client, "/courses/digital-basics")
    assert "Why digital now" in html and "1 h 15 min" in html and "The case for starting." in html
    client.post("/logout")
    login("bob@example.com", PASSWORD)
    html = _page(client, "/courses/digital-basics")
    assert "Why digital now" in html and ">Complete<" not in html


def test_a_module_made_draft_is_hidden_at_once_after_being_cached(app, client, create_user, login):
    create_user()
    login()
    make_course()
    _page(client)
    module = db.session.scalar(db.select(Module).where(Module.slug == "m2"))
    module.is_published = False
    db.session.commit()
    assert client.get("/courses/digital-basics/m2").status_code == 404
    # And its neighbour no longer links to it.
    assert "/courses/digital-basics/m2" not in _page(client, "/courses/digital-basics/m1")


def test_progress_is_each_learners_own(app, client, create_user, login):
    ann, bob = create_user("ann@example.com", "Ann"), create_user("bob@example.com", "Bob")
    course = make_course()
    for user in (ann, bob):
        enrolment.enrol(user, course, now=NOW)
    enrolment.mark_complete(ann, course.modules[1], NOW)
    db.session.commit()
    login("ann@example.com", PASSWORD)
    assert "You completed this module." in _page(client)
    assert "1 of 3 modules complete" in _page(client)
    client.post("/logout")
    login("bob@example.com", PASSWORD)
    html = _page(client)
    assert "You completed this module." not in html and "0 of 3 modules complete" in html


def test_the_cached_parts_follow_the_readers_language(app, client, create_user, login):
    create_user()
    login()
    make_course()
    assert "Module 2 of 3" in _page(client)
    client.post("/language", data={"language": "it"})
    html = _page(client)
    assert "Modulo 2 di 3" in html and "Module 2 of 3" not in html


def _menu(html: str) -> str:
    return html.split('<ul class="navbar-nav me-auto">')[1].split("</ul>")[0]


def test_the_menu_built_once_still_follows_role_page_and_language(app, create_user):
    create_user("lea@example.com", "Lea")
    create_user("tina@example.com", "Tina", roles=("trainer",))
    make_course()
    learner, trainer = app.test_client(), app.test_client()
    for client, email in ((learner, "lea@example.com"), (trainer, "tina@example.com")):
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    on_catalogue = _menu(_page(learner, "/courses/"))
    assert 'aria-current="page" href="/courses/"' in on_catalogue and "Authoring" not in on_catalogue
    trainers = _menu(_page(trainer, "/courses/"))  # same page, another role: another menu
    assert "Authoring" in trainers and 'aria-current="page" href="/courses/"' in trainers
    elsewhere = _menu(_page(learner, "/courses/digital-basics/m2"))  # same person, another page
    assert "aria-current" not in elsewhere
    learner.post("/language", data={"language": "it"})
    italian = _menu(_page(learner, "/courses/"))
    assert "Corsi" in italian and ">Courses<" not in italian
    assert "Lea" in _page(learner, "/courses/") and "Tina" in _page(trainer, "/courses/")  # names outside it


def test_the_catalogue_cards_and_their_search_follow_an_edit_and_each_learners_progress(app, client, create_user, login):
    from lms.courses import search
    from lms.courses.models import Course

    app.config["PAGE_CACHE"] = False  # the fragments themselves, on every request
    ann = create_user("ann@example.com", "Ann")
    create_user("bob@example.com", "Bob")
    course = make_course()
    course.modules[1].body = "Vibration analysis on spindles."
    search.reindex(course)
    enrolment.enrol(ann, course, now=NOW)
    enrolment.mark_complete(ann, course.modules[0], NOW)
    db.session.commit()
    login("ann@example.com", PASSWORD)
    html = _page(client, "/courses/")
    assert "Digital basics" in html and "3 modules" in html and 'aria-valuenow="33"' in html
    assert "Vibration analysis on spindles." in _page(client, "/courses/?q=vibration")
    course = db.session.scalar(db.select(Course))
    course.title, course.summary = "Digital first steps", "A new summary."
    course.modules[2].is_published = False
    course.modules[1].title, course.modules[1].body = "Spindles", "Thermal imaging of spindles."
    search.reindex(course)
    db.session.commit()
    html = _page(client, "/courses/")
    assert "Digital first steps" in html and "A new summary." in html and "Digital basics" not in html
    assert "2 modules" in html and 'aria-valuenow="50"' in html
    found = _page(client, "/courses/?q=spindles")
    assert "Thermal imaging of spindles." in found and ">Spindles</a>" in found and "Vibration" not in found
    client.post("/logout")
    login("bob@example.com", PASSWORD)
    assert "aria-valuenow" not in _page(client, "/courses/")  # not enrolled: no progress, whatever Ann's card showed


def test_the_course_page_head_follows_an_edit_of_the_course_and_of_its_editions(app, client):
    from lms.courses.models import Course

    app.config["PAGE_CACHE"] = False
    make_course()
    make_course(slug="basi-digitali", title="Basi digitali", language="it", translation_of="digital-basics")
    assert "Also in Italian" in _page(client, "/courses/digital-basics")
    italian = db.session.scalar(db.select(Course).where(Course.slug == "basi-digitali"))
    italian.title = "Primi passi digitali"
    db.session.commit()
    html = _page(client, "/courses/digital-basics")
    assert "Primi passi digitali" in html and "Basi digitali" not in html
    italian.is_published = False
    english = db.session.scalar(db.select(Course).where(Course.slug == "digital-basics"))
    english.summary = "Now with a new summary."
    db.session.commit()
    html = _page(client, "/courses/digital-basics")
    assert "Also in Italian" not in html and "Now with a new summary." in html
