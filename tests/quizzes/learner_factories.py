"""Factories for the learner-side quiz tests: a course with modules and a quiz imported through the store."""

from lms.courses.models import Course
from lms.extensions import db
from lms.quizzes import gift, store
from tests.courses import reading_factories
from tests.support import NOW

# One question of every gradable type plus an essay-free quiz by default; answers a test can give.
QUIZ_GIFT = """::Capital::The capital of Italy?{=Rome#Yes, Rome. ~Milan#No, Milan is the economic capital. ~Turin}

::PLC::A PLC is a rugged industrial computer.{T#Right, it is.#It is one.}

::Protocol::The publish/subscribe protocol of the IIoT is called?{=MQTT =mqtt 3.1}

::Pi::Pi to two decimals?{#3.14:0.005}

::Sensors::Which are sensors?{~%50%Accelerometer ~%50%Thermocouple ~%-100%Spreadsheet}

::Match::Match the protocol to its use.{=OPC UA -> data models =MQTT -> publish/subscribe = -> invoices}
"""
RIGHT = {"Capital": 0, "PLC": True, "Protocol": "MQTT", "Pi": "3,14", "Sensors": [0, 1],
         "Match": None}  # match: computed by right_answer()

ESSAY_GIFT = QUIZ_GIFT + "\n::Retrofit::Describe one retrofit you would propose.{}\n"


def make_course(slug="digital-basics", modules=2, published=True, trainers=("trainer@example.com",)) -> Course:
    return reading_factories.make_course(slug, modules=modules, published=published, trainers=trainers,
                                         audience=("manager",), description="About it.", body="Text.", minutes=10)


def make_quiz(course, module=None, text=QUIZ_GIFT, **settings):
    """A quiz of ``module`` (None: the final quiz) holding the questions of ``text``; commits."""
    quiz = store.get_or_create_quiz(course, module)
    store.replace_questions(quiz, gift.parse(text), NOW, from_browser=False)
    if settings:
        store.apply_settings(quiz, settings, from_browser=False)
    db.session.commit()
    return quiz


def rows_by_name(quiz) -> dict:
    return {row.name: row for row in quiz.live_questions}


def right_answer(row):
    """A full-mark response to the stored question ``row``."""
    from lms.quizzes.questions import match_choices, match_stems

    question = store.question_of(row)
    if question.qtype == "match":
        choices = match_choices(question)
        return {str(i): choices.index(stem.match_text) for i, stem in enumerate(match_stems(question))}
    return RIGHT[row.name]


def enrol(user, course):
    from lms.courses import enrolment

    enrolment.enrol(user, course, now=NOW)
    db.session.commit()
