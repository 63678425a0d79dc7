"""Templates' `_()` (lms.templating.gettext) answers as Jinja's new-style gettext does: the request's language,
escaped variables under autoescape, and always a format string ("%%" is "%")."""
import pytest
from flask import render_template_string
from flask_babel import force_locale
from jinja2 import Environment
from jinja2.ext import i18n as jinja_i18n

from lms.templating import translations


@pytest.mark.parametrize("source, variables", [
    ("{{ _('Sign out') }}", {}),
    ("{{ _('Times are shown in %(tz)s.', tz=tz) }}", {"tz": "<Europe/Rome>"}),
    ("{{ _('100%% of it, %(who)s', who=who) }}", {"who": "R&D"}),
    ("{{ gettext('Sign out') }}", {}),
    ("{% trans who=who %}Hello %(who)s{% endtrans %}", {"who": "<b>"}),
    ("{% trans %}50%% done{% endtrans %}", {}),
    ("{{ _('50%% done') }}", {}),
])
def test_the_same_text_as_jinjas_newstyle_gettext(app, source, variables):
    with app.test_request_context("/"), force_locale("it"):
        ours = render_template_string(source, **variables)
        reference = Environment(extensions=[jinja_i18n], autoescape=True)
        reference.install_gettext_callables(translations().ugettext, translations().ungettext, newstyle=True)
        assert ours == reference.from_string(source).render(**variables)


def test_a_translated_line_with_an_escaped_variable(app):
    with app.test_request_context("/"), force_locale("it"):
        html = render_template_string("{{ _('Times are shown in %(tz)s.', tz='<x>') }}")
    assert html == "Gli orari sono indicati nel fuso orario &lt;x&gt;."
