"""Forms of the profile pages. Competences are plain checkboxes and selects (one per vocabulary entry), read in
the view; the rules in rules.clean_changes() decide what is valid."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.profiles import vocabulary


class ProfileForm(FlaskForm):
    headline = StringField(_l("Headline"), validators=[Optional(), Length(max=150)],
                           description=_l("One line under your name, e.g. “Automation engineer, teaches IIoT and "
                                          "digital twins at ITS Meccatronica”."))
    organisation_id = SelectField(_l("Organisation shown"), coerce=int, choices=[],
                                  description=_l("Chosen among the organisations you belong to."))
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=10_000)],
                        description=_l("Markdown: **bold**, *italic*, [link](https://…), lists with “- ”. "
                                       "HTML is not shown."))
    languages = SelectMultipleField(_l("Languages you teach in"), choices=list(vocabulary.LANGUAGES.items()),
                                    validators=[Optional()])
    teach_tags = StringField(_l("Other topics you can teach"), validators=[Optional(), Length(max=1000)],
                             description=_l("Comma separated, e.g. “ROS 2, PLC programming”. "
                                            "At most 40 characters each."))
    expert_tags = StringField(_l("Other topics you are an expert in"), validators=[Optional(), Length(max=1000)],
                              description=_l("Comma separated."))
    photo = FileField(_l("Photo"), description=_l("JPEG, PNG, WebP or GIF. It is cropped to fit and its "
                                                  "metadata (location, camera) is removed."))
    remove_photo = BooleanField(_l("Remove the current photo"))
    show_email = BooleanField(_l("Show my e-mail address on the profile"))
    phone = StringField(_l("Phone (optional, shown on the profile)"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)],
                          description=_l("A full address starting with https://"))
    linkedin_url = StringField(_l("LinkedIn page"), validators=[Optional(), Length(max=300)],
                               description=_l("e.g. https://www.linkedin.com/in/your-name"))
    visibility = RadioField(_l("Who can see this profile"), default="signed_in", choices=[
        ("public", _l("Everyone, also people without an account (the profile is listed in the public directory)")),
        ("signed_in", _l("Only people who are signed in")),
    ])
    is_listed_by_admin = BooleanField(_l("Give this person a profile even without the trainer or ITS-staff role"))


class AddPersonForm(FlaskForm):
    email = StringField(_l("E-mail of the person"), validators=[DataRequired(), Length(max=254)])
