"""Security finding 2: user HTML cannot position, overlay or restyle the page.

Only the classes the Markdown extensions emit survive (admonitions, highlighted code, footnotes, the TOC), each
on its own tag; every id is prefixed (`user-content-`) and the in-page links follow it, so footnotes and the
TOC still work while an id of the page itself (the navbar, a form field) can never be taken over.
"""
import re
from html.parser import HTMLParser

import pytest

from lms.extensions import db
from lms.render import ALLOWED_CLASSES, ID_PREFIX, render, table_of_contents
from tests.courses.reading_factories import make_course
from tests.own_data import OWN_XSS

OVERLAY = ('<a href="https://attacker.example" class="position-fixed top-0 start-0 w-100 h-100 opacity-0">'
           "an invisible cover</a>")
EVERY_EXTENSION = """## Plant data {: #plant .position-fixed }

[TOC]

!!! warning "Careful"
    Read this[^1] before you start.

```python
def oee(a, p, q):
    return a * p * q  # one number
```

See [the data](#plant).

[^1]: A footnote.
"""


class Attributes(HTMLParser):
    """Every (tag, class list, id, href) of a fragment or page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found.append((tag, (attrs.get("class") or "").split(), attrs.get("id"), attrs.get("href")))

    handle_startendtag = handle_starttag


def attributes(html):
    parser = Attributes()
    parser.feed(html)
    return parser.found


def test_overlay_classes_are_dropped():
    html = str(render(OVERLAY, "html"))
    assert "position-fixed" not in html and "class=" not in html and "an invisible cover" in html
    attr_list = str(render("[Continue](https://attacker.example){: .position-fixed .w-100 .h-100 .opacity-0 }"))
    assert "class=" not in attr_list and "Continue" in attr_list
    assert 'class="admonition"' in str(render('<div class="admonition position-fixed fixed-top">x</div>', "html"))


@pytest.mark.parametrize("fmt", ["markdown", "html", "moodle"])
def test_no_payload_keeps_a_class_it_does_not_own_or_an_unprefixed_id(fmt):
    for payload in OWN_XSS:
        for tag, classes, ident, _href in attributes(str(render(payload, fmt))):
            assert set(classes) <= ALLOWED_CLASSES.get(tag, set()) or tag == "code", (payload, tag, classes)
            assert ident is None or ident.startswith(ID_PREFIX), (payload, ident)


def test_admonitions_code_footnotes_and_toc_still_render_and_link():
    html = str(render(EVERY_EXTENSION))
    found = attributes(html)
    classes = {c for _tag, cs, _id, _href in found for c in cs}
    assert {"admonition", "warning", "admonition-title", "codehilite", "footnote", "footnote-ref",
            "footnote-backref", "toc", "k", "nf"} <= classes
    assert "position-fixed" not in classes
    ids = {ident for _tag, _cs, ident, _href in found if ident}
    assert ids == {"user-content-plant", "user-content-fnref:1", "user-content-fn:1"}
    anchors = [href[1:] for _tag, _cs, _id, href in found if href and href.startswith("#")]
    assert sorted(anchors) == sorted(["user-content-plant", "user-content-plant", "user-content-fn:1",
                                      "user-content-fnref:1"])
    assert set(anchors) <= ids  # every in-page link lands on an element
    assert table_of_contents(EVERY_EXTENSION) == [(2, "user-content-plant", "Plant data")]


def test_the_module_page_toc_and_footnotes_point_at_real_ids(app, client, create_user, login):
    course = make_course(modules=1)
    course.modules[0].body = EVERY_EXTENSION + "\n### Second part\n\nMore.\n\n" + OVERLAY
    db.session.commit()
    create_user()
    login()
    client.post(f"/courses/{course.slug}/enrol")
    page = client.get(f"/courses/{course.slug}/m1").get_data(as_text=True)
    found = attributes(page)
    ids = {ident for _tag, _cs, ident, _href in found if ident}
    links = {href[1:] for _tag, _cs, _id, href in found if href and href.startswith("#user-content-")}
    assert {"user-content-plant", "user-content-second-part", "user-content-fn:1"} <= links <= ids
    assert not re.search(r'class="[^"]*position-fixed', page)


def test_a_bio_cannot_cover_the_page(app, client, create_user):
    from lms.profiles import rules
    from tests.profiles.conftest import fill_profile

    trainer = create_user("t@example.com", "Tina Trainer", roles=["trainer"])
    fill_profile(trainer, headline="Trainer", bio="A bio.")
    profile = rules.profile_of(trainer)
    profile.bio = OVERLAY + '\n\n<div id="navbar" class="fixed-top">x</div>'
    db.session.commit()
    page = client.get(f"/people/{profile.slug}").get_data(as_text=True)
    assert "an invisible cover" in page
    assert "position-fixed" not in page and 'id="navbar"' not in page and 'id="user-content-navbar"' in page


def test_quiz_texts_keep_highlighting_but_lose_page_classes():
    html = str(render('<p class="fixed-top">Q</p><pre class="codehilite"><code>x</code></pre>', "html"))
    assert '<p>Q</p>' in html and '<pre class="codehilite">' in html
