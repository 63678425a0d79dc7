from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.assessment.models import AREAS, SECTORS, SIZES


def _choices(labels: dict):
    return [(key, _l(label)) for key, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartForm(FlaskForm):
    size = SelectField(_l("Company size"), choices=_choices(SIZES), validators=[DataRequired()])
    sector = SelectField(_l("Sector"), choices=_choices(SECTORS), validators=[DataRequired()])
    mode = SelectField(_l("Who answers"), choices=[("individual", _l("Only me")),
                                                   ("team", _l("A team: I will invite colleagues"))])
    area = SelectField(_l("Your area"), choices=_choices(AREAS))


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name (for a colleague without an account)"), validators=[Optional(), Length(max=200)])
    area = SelectField(_l("Area"), choices=_choices(AREAS))


class ShareForm(FlaskForm):
    centre = SelectField(_l("ITS foundation or competence centre"), coerce=int, validators=[DataRequired()])
    show_name = BooleanField(_l("Show our company's name to them"))


class PathForm(FlaskForm):
    people = MultiCheckboxField(_l("Who follows the path"), coerce=int)
    dimensions = MultiCheckboxField(_l("Priorities to work on"))
    book_labs = BooleanField(_l("Also book a seat at the next session of each demo lab"), default=True)


