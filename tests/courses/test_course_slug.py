"""A new course's address is made from its title when the author leaves it empty, so the first save succeeds."""
import pytest
from sqlalchemy import select

from lms.courses import authoring
from lms.courses.models import Course
from lms.extensions import db
from tests.courses.reading_factories import NOW


@pytest.fixture
def trainer(create_user):
    return create_user("tina@example.com", "Tina Trainer", roles=("trainer",))


@pytest.mark.parametrize("title, slug", [("Digital HR", "digital-hr"),
                                         ("Digitalizzazione 4.0: perché e come", "digitalizzazione-4-0-perche-e-come"),
                                         ("  --  ", "")])
def test_slug_from_title(title, slug):
    assert authoring.slug_from_title(title) == slug


def test_an_empty_slug_is_made_from_the_title_and_kept_unique(app, trainer):
    first = authoring.create_course("", "Data for managers", trainer, NOW)
    second = authoring.create_course(None, "Data for Managers!", trainer, NOW)
    odd = authoring.create_course("", "¿¡!", trainer, NOW)
    assert (first.slug, second.slug, odd.slug) == ("data-for-managers", "data-for-managers-2", "course")


def test_the_new_course_form_saves_without_an_address(app, client, login, trainer):
    login("tina@example.com")
    response = client.post("/authoring/new", data={
        "title": "Cobots in una PMI", "slug": "", "summary": "", "description": "", "language": "it",
        "audience": ["technician"], "trainer_emails": "", "prerequisites": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/authoring/cobots-in-una-pmi/modules/new")
    assert db.session.scalar(select(Course).where(Course.slug == "cobots-in-una-pmi")) is not None
