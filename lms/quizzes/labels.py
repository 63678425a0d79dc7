"""The names people read for question types and for the kinds of question a trainer can add."""
from flask_babel import lazy_gettext as _l

from lms.quizzes.questions import Question

QTYPE_LABELS = {
    "multichoice": _l("Multiple choice"),
    "truefalse": _l("True/false"),
    "shortanswer": _l("Short answer"),
    "numerical": _l("Numerical"),
    "match": _l("Matching"),
    "essay": _l("Essay"),
    "description": _l("Description"),
}

# In the order of the "add a question" menu, with a line saying what each is for.
KIND_LABELS = {
    "multichoice": (_l("Multiple choice"), _l("One right answer, or several with weights.")),
    "truefalse": (_l("True/false"), _l("A statement that is true or false.")),
    "shortanswer": (_l("Short answer"), _l("A word or a phrase, compared without regard to case.")),
    "numerical": (_l("Numerical"), _l("A number, with a tolerance or a range.")),
    "match": (_l("Matching"), _l("Pairs to match, plus wrong answers if you like.")),
    "missingword": (_l("Missing word: choices"), _l("A sentence with a blank; the learner picks a word.")),
    "missingword-text": (_l("Missing word: typed"), _l("A sentence with a blank; the learner types the word.")),
    "missingword-number": (_l("Missing word: number"), _l("A sentence with a blank; the learner types a number.")),
    "essay": (_l("Essay"), _l("A free text that you grade by hand.")),
    "description": (_l("Description"), _l("Text between questions, not graded.")),
}


def type_label(question: Question) -> str:
    """"Multiple choice", or "Missing word (multiple choice)" when the answers sit inside the sentence."""
    label = QTYPE_LABELS[question.qtype]
    if question.is_missing_word:
        return _l("Missing word (%(type)s)", type=str(label).lower())
    return label
