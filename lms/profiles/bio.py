"""Finding executable markup in a bio before it is stored.

Every bio is sanitised when shown (lms.render); this check lets the edit form refuse an obvious payload with
a clear message instead of silently dropping parts of what the person wrote.
"""
from html.parser import HTMLParser

import markdown

from lms import render

_DANGEROUS_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style",
                   "link", "meta", "base", "form", "input", "button", "textarea", "select", "isindex",
                   "template", "noscript", "xml", "xss"}
_URL_ATTRS = {"href", "src", "action", "formaction", "data", "background", "poster", "lowsrc", "dynsrc",
              "xlink:href", "srcset", "codebase", "cite", "longdesc", "usemap"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


class _ActiveContentFinder(HTMLParser):
    """Notes the first executable construct in HTML: a script-like element, an on* handler or a script URL."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        if self.found:
            return
        if tag.lower() in _DANGEROUS_TAGS:
            self.found = f"<{tag.lower()}>"
            return
        for name, value in attrs:
            name = name.lower()
            squeezed = "".join(ch for ch in (value or "") if ord(ch) > 32).lower()
            if name.startswith("on"):
                self.found = f"{name}="
            elif name in _URL_ATTRS and squeezed.startswith(_BAD_SCHEMES):
                self.found = squeezed.split(":", 1)[0] + ":"
            elif name == "style" and ("expression(" in squeezed or "javascript:" in squeezed or "url(" in squeezed):
                self.found = "style="
            if self.found:
                return


def active_content(text: str) -> str | None:
    """What executable markup the Markdown `text` holds (e.g. "<script>", "onerror=", "javascript:"), or None.

    Looks at the HTML that Markdown makes, so code spans and code blocks (where "<script>" is just text) pass.
    """
    html = markdown.markdown(text or "", extensions=render.EXTENSIONS, extension_configs=render.EXTENSION_CONFIGS)
    finder = _ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.found
