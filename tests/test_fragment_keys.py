"""A cached fragment (lms.templating.cached_fragment) is kept per language and time zone: those the page's
context carries (lms.i18n's context processor), or, for a template rendered without them, Flask-Babel's."""
from flask import render_template_string
from flask_babel import force_locale, refresh

FRAGMENT = '{% call cached_fragment("test-key", 1) %}{{ _("Sign out") }} {{ now|datetime("HH") }}{% endcall %}'


def _bare(app, **values):
    """Rendered straight from the Jinja environment: no context processor runs."""
    return app.jinja_env.from_string(FRAGMENT).render(**values)


def test_each_language_and_zone_has_its_own_fragment_with_or_without_the_pages_context(app):
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        seen = {}
        for language in ("en", "it"):
            for zone in ("Europe/Rome", "America/New_York"):
                app.config["TIMEZONE"] = zone  # a visitor's zone (lms.i18n.select_timezone)
                refresh()
                with force_locale(language):
                    page = render_template_string(FRAGMENT, now=now)
                    assert _bare(app, now=now) == page
                    seen[language, zone] = page
    assert seen["en", "Europe/Rome"] == "Sign out 13" and seen["it", "Europe/Rome"] == "Esci 13"
    assert seen["en", "America/New_York"] == "Sign out 07" and seen["it", "America/New_York"] == "Esci 07"
