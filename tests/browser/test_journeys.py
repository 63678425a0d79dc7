"""Whole journeys in a real browser, one test each, on the demo data: real clicks and typing, and assertions on what
the person sees. A learner enrols, reads a module, passes its quiz, books a lab seat and finds it in My bookings; a
trainer edits a module and a quiz question and sees both changes.

The two other journeys of the product live beside their features and are not repeated here: a coordinator
publishes a session and marks attendance in tests/labs/test_browser_labs.py, and ITS staff filter the dashboard
and check the content of the export in tests/progress/test_browser_progress.py.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in

pytestmark = pytest.mark.browser

COURSE = "digitalization-101"


def right_responses(app, attempt_id):
    """{field name: the response that earns full marks} for each graded question of an attempt, checked with the
    app's own grader, so the test knows the answers as a trainer does, never from the learner's page."""
    from lms.extensions import db
    from lms.quizzes import questions
    from lms.quizzes.models import Attempt, QuizQuestion

    right = {}
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for row in db.session.query(QuizQuestion).filter_by(quiz_id=attempt.quiz_id, archived_at=None):
            question = questions.Question.from_dict(row.data)
            if question.qtype == "multichoice" and question.single:
                response = max(range(len(question.answers)), key=lambda i: question.answers[i].fraction)
            elif question.qtype == "multichoice":
                response = [i for i, answer in enumerate(question.answers) if answer.fraction > 0]
            elif question.qtype == "truefalse":
                response = question.correct
            elif question.qtype == "match":
                choices = questions.match_choices(question)
                response = {i: choices.index(stem.match_text) for i, stem in enumerate(questions.match_stems(question))}
            else:
                continue  # a description; the shipped module quizzes have no typed answers
            assert question.grade(response).fraction == 1.0, row.name
            right[f"q{row.id}"] = response
        db.session.remove()
    return right


def answer_rightly(page, right):
    """Click the labels and pick the options of the right answers, as a learner who knows them would."""
    for field, response in right.items():
        if isinstance(response, bool):
            page.locator(f"label[for='{field}-{'true' if response else 'false'}']").click()
        elif isinstance(response, int):
            page.locator(f"label[for='{field}-{response}']").click()
        elif isinstance(response, list):
            for index in response:
                page.locator(f"label[for='{field}-{index}']").click()
        else:
            for stem, choice in response.items():
                page.locator(f"#{field}_s{stem}").select_option(str(choice))


def test_a_learner_enrols_reads_passes_the_quiz_books_a_lab_seat_and_sees_it(live_server, page):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation before submitting the quiz
    sign_in(page, base, "learner@officina.example")

    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_label("Search").fill("value chain")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("link", name="Digitalization 101", exact=True).click()
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled in")).to_be_visible()

    page.locator("#syllabus ol li a").first.click()
    heading = page.get_by_role("heading", level=1).inner_text()
    expect(page.get_by_text(re.compile(r"Module 1 of \d+ · about \d+ min"))).to_be_visible()
    expect(page.get_by_text("To complete this module, pass its quiz")).to_be_visible()

    page.get_by_role("link", name=re.compile("quiz", re.I)).last.click()
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r".*/quiz/attempts/\d+$"))
    answer_rightly(page, right_responses(live_server.app, int(page.url.rsplit("/", 1)[1])))
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r".*/result$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Your score: 100\s?% Passed"))).to_be_visible()
    expect(page.get_by_text("You passed: the module is complete.")).to_be_visible()

    page.goto(f"{base}/courses/{COURSE}")
    first = page.locator("#syllabus ol li").first
    expect(first).to_contain_text(heading)
    expect(first.locator(".badge", has_text="Complete")).to_be_visible()
    first.get_by_role("link").first.click()
    expect(page.locator("article .badge", has_text="Completed").first).to_be_visible()

    main_nav.get_by_role("link", name="Labs", exact=True).click()
    page.get_by_role("link", name="All sessions").click()
    for row in page.locator("li.list-group-item", has_text=re.compile(r"\d+ seats? left")).all():
        title = row.get_by_role("link").first.inner_text()
        row.get_by_role("link").first.click()
        book = page.get_by_role("button", name="Book a seat")
        if book.count():
            book.click()
            break
        page.go_back()
    else:
        pytest.fail("no session with seats left could be booked")
    expect(page.get_by_text("has a seat")).to_be_visible()
    session_path = page.url[len(base):]

    main_nav.get_by_role("link", name="Labs", exact=True).click()
    page.get_by_role("link", name="My bookings").click()
    booking = page.locator("main li", has=page.locator(f"a[href='{session_path}']"))
    expect(booking.get_by_role("link", name=title)).to_be_visible()
    expect(booking.locator(".badge")).to_have_text("confirmed")


def test_a_trainer_edits_a_module_and_a_quiz_question_and_sees_both(live_server, page):
    base = live_server.url
    sign_in(page, base, "giulia.ferri@officina.example")
    main_nav = page.get_by_role("navigation", name="Main")

    main_nav.get_by_role("link", name="Authoring").click()
    page.get_by_role("link", name="Digitalization 101").click()
    page.locator("#modules tbody tr a.fw-semibold").first.click()
    body = page.get_by_label("Text (Markdown)")
    body.press("Control+End")
    body.press_sequentially("\n\nA line the trainer typed in the browser.", delay=2)
    page.get_by_label("What changed").fill("One more line")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"Saved as revision \d+\."))).to_be_visible()
    page.get_by_role("link", name="View the page").click()
    expect(page.locator("main")).to_contain_text("A line the trainer typed in the browser.")

    main_nav.get_by_role("link", name="Quizzes").click()
    page.get_by_role("link", name="Digitalization 101").first.click()
    page.get_by_role("link", name=re.compile("Module 1|Digitalization and the value chain")).first.click()
    page.get_by_role("link", name=re.compile("^Edit")).first.click()
    text = page.get_by_label("Question text")
    text.fill("Which link of the value chain does digitalization touch first, in the module's example?")
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("does digitalization touch first, in the module's example?")
    page.get_by_role("link", name="Preview as a learner").click()
    expect(page.locator("main")).to_contain_text("does digitalization touch first, in the module's example?")
