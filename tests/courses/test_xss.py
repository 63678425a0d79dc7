"""Hostile Markdown renders inert everywhere: module pages, course pages and the editor's preview.

Every payload line of the project's own XSS lists (tests/data/xss/*.txt), and of the third-party lists in
../shared/fixtures/xss where present, is used as a module body, a course description and the text posted to the
preview endpoint. The HTML that comes back is parsed (html.parser, not a
regex) and must contain nothing executable.
"""
import re
from html.parser import HTMLParser

import pytest

from lms.extensions import db
from tests.courses.reading_factories import make_course
from tests.own_data import DATA, OWN_XSS, SHARED_XSS, shared

PAYLOADS = OWN_XSS
ALL_PAYLOADS = [*OWN_XSS, *(shared("xss", line) for line in SHARED_XSS)]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "frame", "frameset", "applet", "base", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "lowsrc", "dynsrc",
                  "data", "srcset", "codebase", "cite", "longdesc", "ping"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
OWN_SCRIPTS = ("/static/js/", "/bootstrap/static/")  # the layout's script files, never user content
# Whitespace and control characters a browser ignores inside a URL scheme ("java\tscript:").
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]+")


class ExecutableFinder(HTMLParser):
    """Collects everything in a page that could run script. The app's own script files are allowed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_own_script = False

    def handle_starttag(self, tag, attrs):
        attrs_dict = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and attrs_dict.get("src", "").startswith(OWN_SCRIPTS) and len(attrs) == 1:
            self._in_own_script = True
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in URL_ATTRIBUTES and _IGNORED.sub("", value or "").casefold().startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "http-equiv":
                self.problems.append("<meta http-equiv>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_own_script = False

    def handle_data(self, data):
        if self._in_own_script and data.strip():
            self.problems.append("inline script content")


def executable_parts(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_own_payload_lists_are_there():
    assert len(list((DATA / "xss").glob("*.txt"))) >= 5 and len(PAYLOADS) > 100


def test_the_finder_catches_what_it_should():
    """The checker itself must fail on live payloads, or the tests below prove nothing."""
    assert executable_parts("<p><script>alert(1)</script></p>")
    assert executable_parts('<img src=x onerror="alert(1)">')
    assert executable_parts('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>')
    assert executable_parts('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>')
    assert executable_parts("<svg><g/></svg>")
    assert executable_parts('<p style="background:url(javascript:alert(1))">x</p>')
    assert not executable_parts('<p><a href="https://example.com">ok</a></p><script src="/static/js/app.js"></script>')


@pytest.fixture
def setup(app, client, create_user, login):
    create_user("tina@example.com", "Tina Trainer", roles=("trainer",))
    course = make_course(trainers=["tina@example.com"], modules=1)
    login("tina@example.com")
    return course, client


def _check(html: str, where: str, payload: str):
    problems = executable_parts(html)
    assert not problems, f"{where}: {problems} for payload {payload!r}"


@pytest.mark.parametrize("payload", ALL_PAYLOADS)
def test_payload_is_inert_everywhere(setup, payload):
    course, client = setup
    module = course.modules[0]
    module.body = f"Before.\n\n{payload}\n\nAfter [link]({payload.strip()}) and ![img]({payload.strip()})."
    module.title = payload[:200]
    course.description = payload
    course.summary = payload
    db.session.commit()

    module_page = client.get(f"/courses/{course.slug}/{module.slug}")
    assert module_page.status_code == 200
    _check(module_page.get_data(as_text=True), "module page", payload)

    course_page = client.get(f"/courses/{course.slug}")
    assert course_page.status_code == 200
    _check(course_page.get_data(as_text=True), "course page", payload)

    preview = client.post(f"/authoring/{course.slug}/preview", data={"body": payload})
    assert preview.status_code == 200
    _check(preview.get_data(as_text=True), "preview", payload)

    editor = client.get(f"/authoring/{course.slug}/modules/{module.slug}/edit")
    assert editor.status_code == 200
    _check(editor.get_data(as_text=True), "editor", payload)


def test_payloads_in_revision_diffs_are_escaped(setup):
    course, client = setup
    body = "\n".join(PAYLOADS)
    client.post(f"/authoring/{course.slug}/modules/m1/edit",
                data={"title": "Module 1", "minutes": "10", "body": body, "base_revision": ""})
    page = client.get(f"/authoring/{course.slug}/modules/m1/revisions/2")
    assert page.status_code == 200
    _check(page.get_data(as_text=True), "diff", "all payloads")
