from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import URL, DataRequired, Length, Optional

from lms.orgs.models import KINDS


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(k, _l(v)) for k, v in KINDS.items()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("For example “Mechatronics 2026–2028”."))


class CsvUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()],
                     description=_l("Columns: email, name, role, cohort. UTF-8, comma or semicolon separated."))


class CsvCommitForm(FlaskForm):
    upload_id = HiddenField(validators=[DataRequired(), Length(max=64)])
