"""Bios carrying the XSS payloads of tests/data/xss (and ../shared/fixtures/xss where present): refused at the form or shown inert, never executable.

The rendered page is parsed with html.parser and searched for anything executable, not matched with a regex.
"""
from html.parser import HTMLParser

import pytest

from lms.extensions import db
from lms.profiles import rules
from tests.own_data import OWN_XSS, SHARED_XSS, shared
from tests.profiles.conftest import fill_profile

PAYLOADS = OWN_XSS
# Each test runs on the own lists, then on the third-party ones where ../shared is beside the clone.
SOURCES = pytest.mark.parametrize("payloads", [pytest.param(OWN_XSS, id="own"), shared("xss", SHARED_XSS, id="shared")])
FORBIDDEN_TAGS = {"script", "iframe", "svg", "math", "object", "embed", "frame", "frameset", "style", "link",
                  "meta", "base", "form", "input", "button", "textarea", "isindex", "applet", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "background", "poster", "xlink:href", "srcset"}


class BioScanner(HTMLParser):
    """Collects every start tag inside the element with id="profile-bio"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside the bio
        self.tags: list[tuple[str, list]] = []
        self.found_bio = False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, attrs))
            if tag not in {"br", "hr", "img", "col", "wbr"}:
                self.depth += 1
        elif dict(attrs).get("id") == "profile-bio":
            self.depth, self.found_bio = 1, True

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def url_as_browsers_read_it(value: str | None) -> str:
    """The WHATWG URL parser's view: leading/trailing controls and spaces stripped, tabs and newlines removed
    anywhere ("jav\tascript:" is javascript:); a space inside ("jav   ascript:") makes it a harmless relative URL."""
    value = (value or "").strip("".join(chr(c) for c in range(33)))
    return "".join(ch for ch in value if ch not in "\t\n\r").lower()


def executable_parts(page: str) -> list[str]:
    scanner = BioScanner()
    scanner.feed(page)
    scanner.close()
    assert scanner.found_bio, "the bio is not on the page"
    problems = []
    for tag, attrs in scanner.tags:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = url_as_browsers_read_it(value)
            if name.startswith("on"):
                problems.append(f"{tag}[{name}]")
            if name in URL_ATTRS and squeezed.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"{tag}[{name}={value}]")
            if name == "style":
                problems.append(f"{tag}[style]")
    return problems


def page_scripts_are_only_ours(page: str) -> bool:
    class Scripts(HTMLParser):
        srcs = []

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.srcs.append(dict(attrs).get("src") or "")

    parser = Scripts()
    parser.srcs = []
    parser.feed(page)
    return all(src.startswith(("/static/", "/bootstrap/static/")) for src in parser.srcs)


def test_the_fixtures_are_there_and_the_scanner_sees_what_it_looks_for():
    assert len(PAYLOADS) > 50
    page = ('<p>outside <script>ok()</script></p><div id="profile-bio"><p>x<br><a href=" jav&#x09;ascript:a()">'
            '</a><img src=x onerror=b()><svg></svg></p></div><script>outside()</script>')
    assert executable_parts(page) == ["a[href= jav\tascript:a()]", "img[onerror]", "<svg>"]


@pytest.fixture
def trainer(app, create_user, login):
    user = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    fill_profile(user, headline="Safe", bio="A safe bio.")
    login("t@example.com")
    return user


@SOURCES
def test_every_payload_posted_as_a_bio_is_refused_or_shown_inert(client, trainer, payloads):
    slug = rules.profile_of(trainer).slug
    refused = accepted = 0
    for payload in payloads:
        bio = f"About me.\n\n{payload}\n\nThe end."
        response = client.post("/me/profile", data={"headline": "Safe", "bio": bio, "visibility": "public",
                                                     "organisation_id": "0"})
        db.session.expire_all()
        stored = rules.profile_of(trainer).bio
        if response.status_code == 422:
            refused += 1
            assert b"could run code" in response.data, payload
            assert stored == "A safe bio.", payload  # nothing stored
        else:
            assert response.status_code == 302, payload
            accepted += 1
            assert stored == bio.strip()
            page = client.get(f"/people/{slug}").data.decode()
            assert executable_parts(page) == [], payload
            assert page_scripts_are_only_ours(page), payload
            fill_profile(trainer, headline="Safe", bio="A safe bio.")
    assert refused > 40  # the obvious payloads are refused with a message...
    assert accepted > 0  # ...and text that merely looks odd is kept, rendered inert


@SOURCES
def test_a_payload_stored_without_the_form_check_still_renders_inert(client, trainer, payloads):
    """Defence in depth: a bio that reached the database some other way (an import, an old row) is sanitised."""
    profile = rules.profile_of(trainer)
    failures = {}
    for payload in payloads:  # one app for all: a parametrised test would build ~90 apps
        profile.bio = payload
        db.session.commit()
        page = client.get(f"/people/{profile.slug}").data.decode()
        problems = executable_parts(page) + ([] if page_scripts_are_only_ours(page) else ["foreign <script>"])
        if problems:
            failures[payload] = problems
    assert failures == {}


@SOURCES
def test_all_payloads_at_once_render_inert(client, trainer, payloads):
    profile = rules.profile_of(trainer)
    profile.bio = "\n\n".join(payloads)
    db.session.commit()
    page = client.get(f"/people/{profile.slug}").data.decode()
    assert executable_parts(page) == []
