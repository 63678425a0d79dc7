"""Course cards: one partial for the catalogue and the home page, with the cover image; one way to write durations;
a search snippet that repeats the summary is not shown."""
import re

import flask_babel
import pytest

from lms.courses.catalogue import adds_to
from lms.extensions import db
from lms.i18n import duration
from tests.courses.reading_factories import make_course


@pytest.mark.parametrize("minutes, text", [(0, "0 min"), (45, "45 min"), (60, "1 h"), (160, "2 h 40 min"),
                                           (185, "3 h 05 min"), (None, "")])
def test_one_way_to_write_a_duration(app, minutes, text):
    with app.test_request_context():
        flask_babel.refresh()
        assert duration(minutes) == text


def _cards(html):
    return re.findall(r'<article class="card h-100 card-course">.*?</article>', html, re.S)


def test_home_and_catalogue_show_the_same_card_with_cover_and_duration(client):
    course = make_course(modules=3)  # 10 + 20 + 30 minutes
    course.cover = "media/cover.svg"
    make_course(slug="no-cover", title="No cover")
    db.session.commit()
    for path in ("/", "/courses/"):
        cards = _cards(client.get(path).get_data(as_text=True))
        assert len(cards) == 2, path
        with_cover = next(c for c in cards if "Digital basics" in c)
        assert 'src="/courses/digital-basics/files/media/cover.svg"' in with_cover
        assert 'alt="Cover image of “Digital basics”"' in with_cover
        assert "3 modules · 1 h" in with_cover and "60 min" not in with_cover
        placeholder = next(c for c in cards if "No cover" in c)
        assert "course-cover-placeholder" in placeholder and "<img" not in placeholder


def test_the_course_page_shows_its_cover(client):
    course = make_course()
    course.cover = "media/cover.svg"
    db.session.commit()
    html = client.get("/courses/digital-basics").get_data(as_text=True)
    assert re.search(r'<img class="course-cover[^"]*" src="/courses/digital-basics/files/media/cover.svg"', html)


def test_a_snippet_that_repeats_the_summary_adds_nothing():
    summary = "What digitalization changes in a manufacturing firm and its value chain, the technical solutions."
    assert not adds_to(summary, "What digitalization changes in a manufacturing firm and its value chain, the "
                                "technical solutions a small manufacturer can adopt …")
    assert adds_to(summary, "… out of names this problem directly: a lack of strategic thinking …")
    assert not adds_to(summary, "")


def test_the_module_page_says_what_completes_it(client, create_user, login):
    from lms.courses import enrolment
    from lms.dbtypes import utcnow
    from tests.quizzes.trainer_factories import make_quiz

    user = create_user()
    course = make_course(modules=2)
    make_quiz(course, course.modules[0])
    enrolment.enrol(user, course, by=user, now=utcnow())
    db.session.commit()
    login()
    with_quiz = client.get("/courses/digital-basics/m1").get_data(as_text=True)
    assert "To complete this module, pass its quiz at the end (pass mark 70%)." in with_quiz
    assert "Mark as complete" not in with_quiz
    without = client.get("/courses/digital-basics/m2").get_data(as_text=True)
    assert "To complete this module, read it, then mark it as complete with the button at the end." in without
    client.post("/courses/digital-basics/m2/complete")
    done = client.get("/courses/digital-basics/m2").get_data(as_text=True)
    assert done.count("You completed this module.") == 1 and "To complete this module" not in done
    assert re.search(r'id="module-completion">\s*<span class="badge text-bg-success">.*Completed</span>', done)


def test_the_readme_journey_matches_the_module_page():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "mark complete → take the quiz" not in readme
    assert "a module with a quiz is completed by passing the quiz" in readme
