"""A module with a quiz is completed by passing the quiz, not by the "Mark as complete" button."""
from lms.courses.models import ModuleCompletion
from lms.extensions import db
from lms.quizzes import store
from tests.quizzes.learner_factories import enrol, make_course, make_quiz
from tests.support import NOW


def test_the_button_does_not_complete_a_module_that_has_a_quiz(client, create_user, login):
    learner = create_user()
    course = make_course()
    with_quiz, without_quiz = course.modules
    make_quiz(course, with_quiz)
    enrol(learner, course)
    login()

    page = client.get(f"/courses/{course.slug}/{with_quiz.slug}").get_data(as_text=True)
    assert "Mark as complete" not in page and f"/courses/{course.slug}/{with_quiz.slug}/quiz" in page
    response = client.post(f"/courses/{course.slug}/{with_quiz.slug}/complete")
    assert response.status_code == 302 and response.location.endswith(f"/{with_quiz.slug}/quiz")
    assert db.session.query(ModuleCompletion).count() == 0

    assert "Mark as complete" in client.get(f"/courses/{course.slug}/{without_quiz.slug}").get_data(as_text=True)
    client.post(f"/courses/{course.slug}/{without_quiz.slug}/complete")
    assert [c.module_id for c in db.session.query(ModuleCompletion)] == [without_quiz.id]

    # A quiz whose questions are all archived does not hold the module back: the button completes it.
    for question in store.get_quiz(course, with_quiz).questions:
        question.archived_at = NOW
    db.session.commit()
    client.post(f"/courses/{course.slug}/{with_quiz.slug}/complete")
    assert {c.module_id for c in db.session.query(ModuleCompletion)} == {with_quiz.id, without_quiz.id}
