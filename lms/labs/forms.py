"""The coordinator's session form. Times are typed in the coordinator's own time zone."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

AUDIENCE_CHOICES = [("signed_in", _l("Anyone signed in")), ("organisations", _l("Members of some organisations")),
                    ("course", _l("Learners enrolled in a course"))]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(FlaskForm):
    lab = SelectField(_l("Lab"), coerce=int)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    topic = StringField(_l("Demo topic"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=50_000)],
                                description=_l("Markdown."), render_kw={"rows": 5})
    trainer = SelectField(_l("Trainer"), coerce=int)
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=10_000)])
    audience = RadioField(_l("Who may book"), choices=AUDIENCE_CHOICES, default="signed_in")
    organisations = MultiCheckboxField(_l("Organisations"), coerce=int)
    course = SelectField(_l("Course"), coerce=int)
    opens_on = DateField(_l("Booking opens on"), validators=[Optional()],
                         description=_l("Leave empty to open booking at once."))
    cutoff_hours = IntegerField(_l("Booking closes (hours before the start)"), default=0,
                                validators=[Optional(), NumberRange(min=0, max=24 * 60)],
                                description=_l("People may book and cancel until then."))
    reminders = StringField(_l("Reminders before the start"), validators=[Optional(), Length(max=100)],
                            description=_l("E-mails to everyone with a seat, e.g. 24h, 2h (d = days, h = hours, "
                                           "m = minutes); leave empty for none."))
    repeat = RadioField(_l("Repeat"), default="none", choices=[
        ("none", _l("Once")), ("weekly", _l("Every week")), ("custom", _l("On the dates below"))])
    weeks = IntegerField(_l("How many weeks"), default=4, validators=[Optional(), NumberRange(min=1, max=52)])
    dates = TextAreaField(_l("Dates"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3},
                          description=_l("One date per line, e.g. 2027-03-15; the same times each day."))
    scope = RadioField(_l("Apply to"), default="one", choices=[
        ("one", _l("This session only")), ("all", _l("This and the coming sessions of the series"))])
    move_to_waitlist = MultiCheckboxField(_l("Move to the waitlist"), coerce=int, validate_choice=False,
                                          description=_l("When seats go below those taken, choose who goes back "
                                                         "to the waitlist (ahead of those already waiting)."))
