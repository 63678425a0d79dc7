"""The trainer's quiz forms: one question form per type, quiz settings, GIFT import, essay grading.

The question forms only collect what was typed: lms.quizzes.editing turns their values into a Question and
names every problem, which :meth:`QuestionForm.attach_errors` puts back next to the fields.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.quizzes.models import GRADE_METHODS, SHOW_FEEDBACK

MIN_ROWS = 6  # answer rows a form offers; empty ones are ignored
MORE_ROWS = 3  # rows the "more rows" button adds
FORMAT_CHOICES = [
    ("markdown", _l("Markdown")),
    ("moodle", _l("Moodle auto-format (HTML allowed, line breaks kept)")),
    ("html", _l("HTML")),
    ("plain", _l("Plain text")),
]
SHOW_FEEDBACK_LABELS = {
    "immediately": _l("Immediately after each submission"),
    "after_last_attempt": _l("After the last attempt"),
    "never": _l("Never"),
}
GRADE_LABELS = {"best": _l("The best attempt"), "last": _l("The last attempt")}
_ROW_TEXT = {"rows": 1}
_FEEDBACK = {"rows": 1}


# Answer rows: plain WTForms forms (the page's one CSRF token covers them). --------------------------------

class ChoiceRow(Form):
    text = TextAreaField(_l("Answer"), render_kw=_ROW_TEXT)
    weight = StringField(_l("Weight (%)"), render_kw={"inputmode": "decimal", "placeholder": "0"})
    feedback = TextAreaField(_l("Feedback for this answer"), render_kw=_FEEDBACK)
    text_format = HiddenField()
    feedback_format = HiddenField()


class ShortAnswerRow(Form):
    text = TextAreaField(_l("Accepted answer"), render_kw=_ROW_TEXT)
    weight = StringField(_l("Weight (%)"), render_kw={"inputmode": "decimal", "placeholder": "100"})
    feedback = TextAreaField(_l("Feedback for this answer"), render_kw=_FEEDBACK)
    feedback_format = HiddenField()


class NumberRow(Form):
    value = StringField(_l("Number"), render_kw={"inputmode": "decimal"})
    tolerance = StringField(_l("± tolerance"), render_kw={"inputmode": "decimal", "placeholder": "0"})
    low = StringField(_l("or from"), render_kw={"inputmode": "decimal"})
    high = StringField(_l("to"), render_kw={"inputmode": "decimal"})
    any_number = BooleanField(_l("Any other number"))
    weight = StringField(_l("Weight (%)"), render_kw={"inputmode": "decimal", "placeholder": "100"})
    feedback = TextAreaField(_l("Feedback for this answer"), render_kw=_FEEDBACK)
    feedback_format = HiddenField()


class PairRow(Form):
    text = TextAreaField(_l("Question"), render_kw=_ROW_TEXT)
    match_text = TextAreaField(_l("Matching answer"), render_kw=_ROW_TEXT)
    text_format = HiddenField()


# Question forms --------------------------------------------------------------------------------------------

class QuestionForm(FlaskForm):
    """What every question has; the subclasses add their type's fields."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=255)],
                       description=_l("Trainers see it in lists and statistics; empty: the start of the text."))
    text = TextAreaField(_l("Question text"), render_kw={"rows": 4})
    text_format = SelectField(_l("Text format"), choices=FORMAT_CHOICES, default="markdown",
                              description=_l("How the question, answers and feedback are written."))
    general_feedback = TextAreaField(_l("General feedback"), render_kw={"rows": 2},
                                     description=_l("Shown to every learner after they answer, right or wrong."))
    general_feedback_format = HiddenField()
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=1000)],
                       description=_l("Separated by commas; kept in the GIFT file."))
    idnumber = StringField(_l("ID number"), validators=[Optional(), Length(max=100)],
                           description=_l("An identifier for question banks (Moodle's ID number); optional."))

    def values(self) -> dict:
        """The typed values, as lms.quizzes.editing reads them."""
        return {key: value for key, value in self.data.items() if key != "csrf_token"}

    def add_rows(self, count: int = MORE_ROWS) -> None:
        """Offer ``count`` more empty answer rows (the "more rows" button without JavaScript)."""
        answers = getattr(self, "answers", None)
        if answers is not None:
            for _ in range(count):
                answers.append_entry()

    def pad_rows(self) -> None:
        """At least MIN_ROWS answer rows, and always two empty ones to fill."""
        answers = getattr(self, "answers", None)
        if answers is not None:
            filled = sum(1 for entry in answers if any(v for k, v in entry.data.items() if k != "weight"))
            while len(answers) < max(MIN_ROWS, filled + 2):
                answers.append_entry()

    def attach_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put editing's field errors (``text``, ``answers-2-weight``) on the fields; returns the
        messages no field shows, so the page can list them."""
        unplaced = []
        for name, messages in errors.items():
            field = self._find(name)
            if field is None:
                unplaced.extend(messages)
            else:
                field.errors = list(field.errors or []) + list(messages)
        return unplaced

    def _find(self, name: str):
        if name in self._fields:
            return self._fields[name]
        head, _, rest = name.partition("-")
        index, _, sub = rest.partition("-")
        answers = self._fields.get(head)
        if isinstance(answers, FieldList) and index.isdigit() and int(index) < len(answers.entries):
            return answers.entries[int(index)].form._fields.get(sub)
        return None


class MultiChoiceForm(QuestionForm):
    single = RadioField(_l("Right answers"), default="one", choices=[
        ("one", _l("One right answer (the learner picks one)")),
        ("several", _l("Several right answers (the learner ticks boxes; their weights add up to 100%)")),
    ])
    answers = FieldList(FormField(ChoiceRow), min_entries=MIN_ROWS)


class TrueFalseForm(QuestionForm):
    text = TextAreaField(_l("Statement"), render_kw={"rows": 3})
    correct = RadioField(_l("The statement is"), default="true",
                         choices=[("true", _l("True")), ("false", _l("False"))])
    feedback_true = TextAreaField(_l("Feedback for a learner who answers “true”"), render_kw={"rows": 2})
    feedback_false = TextAreaField(_l("Feedback for a learner who answers “false”"), render_kw={"rows": 2})
    feedback_true_format = HiddenField()
    feedback_false_format = HiddenField()


class ShortAnswerForm(QuestionForm):
    answers = FieldList(FormField(ShortAnswerRow), min_entries=MIN_ROWS)


class NumericalForm(QuestionForm):
    answers = FieldList(FormField(NumberRow), min_entries=MIN_ROWS)


class MatchForm(QuestionForm):
    answers = FieldList(FormField(PairRow), min_entries=MIN_ROWS)


class EssayForm(QuestionForm):
    pass


class DescriptionForm(QuestionForm):
    text = TextAreaField(_l("Text"), render_kw={"rows": 6})


FORMS: dict[str, type[QuestionForm]] = {
    "multichoice": MultiChoiceForm, "truefalse": TrueFalseForm, "shortanswer": ShortAnswerForm,
    "numerical": NumericalForm, "match": MatchForm, "essay": EssayForm, "description": DescriptionForm,
}


# Quiz settings, import, grading ----------------------------------------------------------------------------

class SettingsForm(FlaskForm):
    """A quiz's settings, named as the front matter's ``quiz:`` keys (store.apply_settings reads them)."""

    pass_mark = IntegerField(_l("Pass mark (%)"), validators=[InputRequired(), NumberRange(0, 100)])
    attempts = IntegerField(_l("Attempts allowed"), validators=[InputRequired(), NumberRange(0, 1000)],
                            description=_l("0 means unlimited."))
    time_limit = IntegerField(_l("Time limit (minutes)"), validators=[InputRequired(), NumberRange(0, 24 * 60)],
                              description=_l("0 means no time limit."))
    shuffle_questions = BooleanField(_l("Shuffle the questions for each attempt"))
    shuffle_answers = BooleanField(_l("Shuffle the answers of each question"))
    show_feedback = SelectField(_l("Show feedback and right answers"),
                                choices=[(k, SHOW_FEEDBACK_LABELS[k]) for k in SHOW_FEEDBACK])
    grade = SelectField(_l("Which attempt counts"), choices=[(k, GRADE_LABELS[k]) for k in GRADE_METHODS])

    def settings(self) -> dict:
        return {key: value for key, value in self.data.items() if key != "csrf_token"}


class ImportForm(FlaskForm):
    file = FileField(_l("GIFT file"), description=_l("A .gift or .txt file exported from Moodle or written by hand."))
    text = TextAreaField(_l("Or paste GIFT text"), render_kw={"rows": 10, "spellcheck": "false"})


class ImportConfirmForm(FlaskForm):
    upload_id = HiddenField(validators=[InputRequired()])
    mode = RadioField(_l("What to do"), default="append", choices=[
        ("append", _l("Append them after the quiz's questions")),
        ("replace", _l("Replace all the quiz's questions (past attempts keep theirs)")),
    ])


class GradeForm(FlaskForm):
    percent = StringField(_l("Score (%)"), validators=[InputRequired()], render_kw={"inputmode": "decimal"})
    comment = TextAreaField(_l("Comment for the learner"), validators=[Optional(), Length(max=5000)],
                            render_kw={"rows": 3})
