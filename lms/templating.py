"""What templates call many times per page, made cheap: translations and content fragments.

Translations: Flask-Babel's template `_()` finds the request's translations through half a dozen context
lookups on every call (a page makes 15-70 calls). Here the translations object is remembered next to
Flask-Babel's own per-request locale and reused while that locale holds; `flask_babel.refresh()` (a
language change) drops the locale, and with it this shortcut. And `_()` is one function (`gettext` below)
instead of the i18n extension's alias calling its wrapper calling the callable.

Fragments: a part of a page that shows only content (never the person's progress or anything from the
session) is wrapped in a call block whose arguments are every value the block reads:

    {% call cached_fragment("module-head", module.title, module.minutes, position, count) %}
      ... HTML built from those values ...
    {% endcall %}

It renders once per key, language and time zone; the next request with the same key reuses the HTML.
Keying on the values themselves (not on a timestamp) means a change in the files or the browser editor is
visible on the next request, with no invalidation step to forget: what is saved is the rendering.

Shared URLs: the links every page's frame carries (style sheets and scripts with their hash, the sign-out and
settings addresses) are the same for every request of a process, given the prefix the app is mounted under:
`shared_url()` builds each once per prefix instead of going through url_for on every page.
"""
import uuid
from collections import OrderedDict
from threading import Lock

from flask import current_app, g, request, url_for
from flask_babel import get_locale, get_timezone, get_translations
from jinja2 import pass_context
from markupsafe import Markup

MAX_FRAGMENTS = 4096
_fragments: OrderedDict = OrderedDict()
_lock = Lock()


def translations():
    """The request's translations, as flask_babel.get_translations() answers, in two attribute reads."""
    ctx = getattr(g, "_flask_babel", None) if g else None
    if ctx is not None:
        remembered = getattr(ctx, "lms_translations", None)
        if remembered is not None and remembered[0] is getattr(ctx, "babel_locale", None):
            return remembered[1]
    found = get_translations()
    ctx = getattr(g, "_flask_babel", None) if g else None
    if ctx is not None and getattr(ctx, "babel_locale", None) is not None:
        ctx.lms_translations = (ctx.babel_locale, found)
    return found


@pass_context
def cached_fragment(context, name: str, *key, caller) -> Markup:
    """The HTML of the call block for (app, `name`, `key`, language, time zone), rendered on first use."""
    # The language and zone as lms.i18n's context processor put them in the page's context (the same strings:
    # asking Flask-Babel again costs a dozen context lookups each); asked when a template has no such context.
    language, zone = context.get("current_language"), context.get("current_timezone")
    if language is None or zone is None:
        language, zone = str(get_locale()), str(get_timezone())
    full_key = (current_app.extensions["fragments"], name, key, language, zone)
    with _lock:
        html = _fragments.get(full_key)
        if html is not None:
            _fragments.move_to_end(full_key)
            return html
    html = Markup(caller())  # nosec B704 - the call block is our own template, rendered with autoescape
    with _lock:
        _fragments[full_key] = html
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return html


MAX_SHARED_URLS = 1024


def shared_url_builder(app):
    """`shared_url(endpoint, **values)` for `app`'s templates: url_for's answer, remembered per mount prefix.

    For links that are the same on every request: an endpoint with fixed values. url_for's answer as a path
    depends on nothing else: the URL map is fixed once the app serves, and the only URL default
    (lms.ops.static: a static file's hash) is fixed per process outside debug mode; in debug mode, where a file
    edited while the server runs gets a new hash, every call goes to url_for. A full URL (`_external`, or a
    rule for another host) names the request's host and is built every time.
    """
    built: dict = {}

    def shared_url(endpoint: str, **values) -> str:
        if app.debug:
            return url_for(endpoint, **values)
        key = (request.root_path, endpoint, *values.items())
        url = built.get(key)
        if url is None:
            url = url_for(endpoint, **values)
            if url.startswith("/") and not url.startswith("//"):  # a path, never a full URL naming a host
                if len(built) >= MAX_SHARED_URLS:  # the prefix comes from the server: bounded all the same
                    built.clear()
                built[key] = url
        return url

    return shared_url


@pass_context
def gettext(context, string: str, **variables) -> str:
    """Templates' `_()` and `gettext()`, as Jinja's new-style gettext answers them (escaped under autoescape,
    always a format string, where a doubled percent sign is one), without the i18n extension's three nested
    context.call layers (`_` resolving `gettext`, which calls the callable installed)."""
    text = translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # nosec B704 - a translation of our own catalogue; the variables are escaped by %
    return text % variables if variables or "%" in text else text  # without "%", `text % {}` is `text`


def init_app(app):
    """After Flask-Babel's init_app: replaces the gettext callables it installed in the Jinja environment."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(gettext=gettext, _=gettext)
    app.extensions["fragments"] = uuid.uuid4().hex  # two apps in one process (tests) never share fragments
    app.jinja_env.globals["cached_fragment"] = cached_fragment
    app.jinja_env.globals["shared_url"] = shared_url_builder(app)
