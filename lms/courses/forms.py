from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

AUDIENCE_LABELS = {
    "ceo": _l("CEO"),
    "manager": _l("Manager"),
    "technician": _l("Technician"),
    "hr": _l("HR"),
}
LANGUAGE_LABELS = {"en": _l("English"), "it": _l("Italian")}
# The link from a course to its edition in another language, named by that language.
ALSO_IN = {"en": _l("Also in English"), "it": _l("Also in Italian")}
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MESSAGE = _l("Use lower-case letters, digits and single hyphens, e.g. “data-for-managers”.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _lines(text: str | list | None) -> list[str]:
    if isinstance(text, list | tuple):  # a post without the field keeps the course's list (obj=course)
        text = "\n".join(text)
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Address"), validators=[Optional(), Length(max=100), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
                       description=_l("Part of the course's web address; it cannot change later. "
                                      "Left empty, it is made from the title."),
                       render_kw={"data-slug-from": "title"})
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=600)],
                            description=_l("One or two sentences shown in the catalogue."), render_kw={"rows": 2})
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=100_000)],
                                description=_l("Markdown. Shown on the course page."), render_kw={"rows": 10})
    language = SelectField(_l("Language"), choices=list(LANGUAGE_LABELS.items()))
    audience = MultiCheckboxField(_l("For whom"), choices=list(AUDIENCE_LABELS.items()))
    trainer_emails = TextAreaField(_l("Trainers"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2},
                                   description=_l("One e-mail address per line. Trainers listed here may edit the course."))
    prerequisites = TextAreaField(_l("Prerequisites"), validators=[Optional(), Length(max=5000)],
                                  render_kw={"rows": 2},
                                  description=_l("One per line: free text, or the address of another course."))

    @property
    def trainer_list(self):
        return _lines(self.trainer_emails.data)

    @property
    def prerequisite_list(self):
        return _lines(self.prerequisites.data)


class CourseSettingsForm(CourseForm):
    """The same fields without the slug, which is the course's identity and its folder name."""

    slug = None


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Address"), validators=[DataRequired(), Length(max=100), Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)],
                       description=_l("Part of the module's web address; it cannot change later."))
    minutes = IntegerField(_l("Minutes"), validators=[DataRequired(), NumberRange(min=1, max=600)],
                           description=_l("Reading time (about 200 words a minute) plus exercises."))
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=300)],
                          description=_l("One line for the syllabus."))
    audience = MultiCheckboxField(_l("For whom"), choices=list(AUDIENCE_LABELS.items()),
                                  description=_l("Leave all unticked to use the course's audience."))
    body = TextAreaField(_l("Text (Markdown)"), validators=[Optional(), Length(max=200_000)],
                         render_kw={"rows": 24, "spellcheck": "true"},
                         description=_l("## headings make the table of contents; tables, ```code```, footnotes [^1] "
                                        "and notes (!!! note \"Title\") work. Images: "
                                        "![what the picture shows](media/name.png)."))
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=200)],
                       description=_l("Optional: a short note for the revision history."))
    base_revision = HiddenField()


class ModuleEditForm(ModuleForm):
    slug = None


class ImageUploadForm(FlaskForm):
    image = FileField(_l("Image"), validators=[FileRequired()],
                      description=_l("PNG, JPEG, GIF or WebP. After uploading, describe the picture in the alt text."))


class EnrolStaffForm(FlaskForm):
    users = SelectMultipleField(_l("People"), coerce=int, validate_choice=False)
