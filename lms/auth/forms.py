from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, EqualTo, Length

from lms.auth.timezones import TIMEZONE_CHOICES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 8 characters; not one of the most common passwords."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))]
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class SettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Language"), choices=[("", _l("As my browser prefers")), ("it", "Italiano"), ("en", "English")]
    )
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES)
    # Choices (the configured reminder offsets) are set by the view; the booking confirmation is not optional.
    reminders = SelectMultipleField(
        _l("Reminders before a lab session you booked"), choices=[], validate_choice=True,
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
        description=_l("The booking confirmation, and news of a moved or cancelled session, always come."))


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. “ITS reporting script”."))


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"))
    organisation = SelectField(_l("Organisation"), coerce=int)
    membership = SelectField(_l("In the organisation"), choices=[("member", _l("Member")), ("manager", _l("Manager"))])


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    is_active = BooleanField(_l("Active (may sign in)"))
