"""The one render-and-sanitise path for every piece of user-authored text.

Markdown (course modules, descriptions, bios, quiz texts) is rendered by Python-Markdown and then cleaned
by nh3 with an allow-list, so hostile input (script, event handlers, javascript: URLs, SVG payloads) comes
out inert. Results are cached by content hash: a page view does not render again.
"""
import hashlib
import html
import re
import threading
from collections import OrderedDict

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pygments.token import STANDARD_TYPES

EXTENSIONS = ["tables", "fenced_code", "codehilite", "footnotes", "admonition", "toc", "attr_list", "sane_lists"]
EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "codehilite"},
    "toc": {"permalink": False, "toc_depth": "2-3"},
    "footnotes": {"BACKLINK_TITLE": "Back to the text"},
}

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},  # class and id pass only through _attribute_filter
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# User HTML must not position, overlay or restyle the page (Bootstrap's "position-fixed w-100 h-100" on a link
# would hijack every click), so only the classes the Markdown extensions emit survive, each on its own tag.
ADMONITION_KINDS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
                    "info", "success", "seealso", "example", "question", "quote", "abstract", "bug", "failure"}
ALLOWED_CLASSES = {
    "div": {"admonition", "codehilite", "footnote", "toc", *ADMONITION_KINDS},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": set(STANDARD_TYPES.values()) - {""},  # Pygments' token classes inside .codehilite
    "pre": {"codehilite"},
}
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9_+#-]{1,40}$")  # fenced code without highlighting
# Every id in user HTML gets this prefix, and every in-page link to one follows it, so user content can never
# take over an id the page itself uses (the navbar, a form field) while footnotes and the TOC keep working.
ID_PREFIX = "user-content-"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")

_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 1024


class _RelativeUrls(Treeprocessor):
    """Point relative image and link URLs at `base` (a course's media route)."""

    def __init__(self, md, base):
        super().__init__(md)
        self.base = base.rstrip("/") + "/"

    def run(self, root):
        for el in root.iter():
            attr = "src" if el.tag == "img" else "href" if el.tag == "a" else None
            value = el.get(attr) if attr else None
            if value and not value.startswith(("/", "#", "?")) and not _SCHEME.match(value):
                el.set(attr, self.base + value.removeprefix("./"))


class _RelativeUrlsExtension(Extension):
    def __init__(self, base):
        super().__init__()
        self.base = base

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_RelativeUrls(md, self.base), "lms_relative_urls", 0)


def _attribute_filter(tag, attribute, value):
    """Drop a URL whose scheme, once blanks and control characters are removed, is not allowed; keep only the
    extensions' classes; prefix ids and the in-page links that point at them.

    Browsers ignore blanks and controls inside a scheme ("jav\tascript:"), and Python-Markdown turns a tab into
    spaces that nh3 then reads as a relative URL; this closes that gap.
    """
    if attribute in ("href", "src"):
        scheme = _SCHEME.match(_CONTROL.sub("", value))
        if scheme and scheme.group(0)[:-1].lower() not in URL_SCHEMES:
            return None
        if attribute == "href" and value.startswith("#") and len(value) > 1:
            return "#" + ID_PREFIX + value[1:]
    elif attribute == "class":
        allowed = ALLOWED_CLASSES.get(tag, set())
        kept = [c for c in value.split() if c in allowed or (tag == "code" and _LANGUAGE_CLASS.match(c))]
        return " ".join(dict.fromkeys(kept)) or None
    elif attribute == "id":
        return ID_PREFIX + value if value.strip() else None
    return value


def sanitise_html(raw: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; links get rel=noopener."""
    return nh3.clean(raw, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True, attribute_filter=_attribute_filter)


def _render_uncached(text: str, fmt: str, base_url: str | None) -> str:
    if fmt == "markdown":
        extensions = list(EXTENSIONS)
        if base_url:
            extensions.append(_RelativeUrlsExtension(base_url))
        raw = markdown.markdown(text, extensions=extensions, extension_configs=EXTENSION_CONFIGS, output_format="html")
    elif fmt == "plain":
        raw = "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"
    elif fmt == "moodle":
        # Moodle's auto-format: HTML allowed, line breaks kept.
        raw = text.replace("\n", "<br>")
    elif fmt == "html":
        raw = text
    else:
        raise ValueError(f"unknown text format: {fmt}")
    return sanitise_html(raw)


def render(text: str | None, fmt: str = "markdown", base_url: str | None = None) -> Markup:
    """Safe HTML for `text` in `fmt` (markdown | html | plain | moodle); relative URLs resolved against base_url."""
    text = text or ""
    key = hashlib.sha256(f"{fmt}\0{base_url or ''}\0{text}".encode()).hexdigest()
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return Markup(cached)  # nosec B704 - nh3's output (sanitise_html), cached by the text's hash
    result = _render_uncached(text, fmt, base_url)
    with _cache_lock:
        _cache[key] = result
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return Markup(result)  # nosec B704 - sanitised by nh3 in _render_uncached: the one sanitising path


def table_of_contents(text: str) -> list[tuple[int, str, str]]:
    """[(level, id, title)] of the ## and ### headings, with the (prefixed) ids render() gives them."""
    md = markdown.Markdown(extensions=["toc", "attr_list"], extension_configs={"toc": {"toc_depth": "2-3"}})
    md.convert(text or "")
    entries = []

    def walk(tokens):
        for token in tokens:
            entries.append((token["level"], ID_PREFIX + token["id"], html.unescape(token["name"])))
            walk(token.get("children", []))

    walk(md.toc_tokens)
    return entries


def render_stats() -> dict:
    return {"cached": len(_cache), "capacity": CACHE_SIZE}


def init_app(app):
    app.jinja_env.filters["markdown"] = lambda text, base_url=None: render(text, "markdown", base_url)
