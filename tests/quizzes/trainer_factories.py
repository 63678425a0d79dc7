"""Factories for the trainer-side quiz tests: quizzes with questions, and submitted attempts written straight
to the database (graded with the real grader), so statistics and essay grading run on real rows."""
import hashlib
import json
from datetime import timedelta

from lms.extensions import db
from lms.quizzes import gift
from lms.quizzes.models import Attempt, Quiz, QuizQuestion, Response
from lms.quizzes.questions import Question
from tests.support import NOW

SAMPLE_GIFT = """::Capital::The capital of Italy?{=Rome#Yes. ~Milan#No. ~Turin}

::Sensors::Which are sensors?{~%50%Accelerometer ~%50%Thermocouple ~%-100%Spreadsheet}

::PLC::A PLC is a rugged computer.{T#No, it is one.#Right.}

::Poet::Who wrote the Divine Comedy?{=Dante =%50%Alighieri}

::Pi::Pi to two decimals?{#3.14:0.005}

::Protocols::Match the protocol to its use.{=OPC UA -> data models =MQTT -> publish/subscribe = -> invoices}

::Retrofit::Describe one retrofit you would propose.{}
"""


def sample_questions() -> list[Question]:
    return gift.parse(SAMPLE_GIFT)


def make_quiz(course, module=None, questions=None) -> Quiz:
    """A quiz of ``course`` (the module's, or the final one) holding ``questions`` (default: the sample)."""
    key = f"module:{module.slug}" if module else "final"
    quiz = Quiz(course=course, module=module, key=key, title=f"{(module or course).title} — quiz")
    db.session.add(quiz)
    for position, question in enumerate(sample_questions() if questions is None else questions, start=1):
        data = question.to_dict()
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        quiz.questions.append(QuizQuestion(position=position, qtype=question.qtype, name=question.name, data=data,
                                           content_hash=digest))
    db.session.commit()
    return quiz


def attempt(quiz, user, answers: dict, submitted=True, number=None, now=NOW) -> Attempt:
    """An attempt of ``user`` answering {question name: response}; graded as the grader grades."""
    number = number or 1 + len([a for a in db.session.scalars(db.select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == user.id))])
    row = Attempt(quiz=quiz, user=user, number=number, state="submitted" if submitted else "in_progress",
                  started_at=now - timedelta(minutes=10), submitted_at=now if submitted else None,
                  layout={"questions": [q.id for q in quiz.live_questions]})
    db.session.add(row)
    total = needs_grading = 0
    gradable = [q for q in quiz.live_questions if q.qtype != "description"]
    for question_row in quiz.live_questions:
        if question_row.name not in answers:
            continue
        response = answers[question_row.name]
        grade = Question.from_dict(question_row.data).grade(response)
        row.responses.append(Response(question=question_row, answer=response, saved_at=now,
                                      fraction=grade.fraction if submitted else None,
                                      feedback=grade.feedback if submitted else None,
                                      needs_manual=grade.needs_manual))
        total += grade.fraction
        needs_grading = needs_grading or grade.needs_manual
    if submitted:
        row.score = total / len(gradable) if gradable else 0.0
        row.passed = None if needs_grading else row.score * 100 >= quiz.pass_mark
        row.needs_grading = needs_grading
    db.session.commit()
    return row
