"""Factories for the reading, enrolment and authoring tests: courses and modules written straight to the database."""
from lms.courses.models import Course, Module
from lms.extensions import db
from tests.support import NOW  # noqa: F401  (the reading tests take it from here)

BODY = """Intro paragraph.

## First part

Some text with a [link](https://example.com) and a table:

| a | b |
|---|---|
| 1 | 2 |

### A detail

```python
print("hello")
```

## Second part

A footnote.[^1]

!!! note "Remember"
    Admonitions work.

![A diagram of the value chain](media/value-chain.svg)

[^1]: The footnote text.
"""


def make_course(slug="digital-basics", title="Digital basics", modules=3, published=True, trainers=(),
                audience=("manager", "technician"), language="en", description="About **this** course.",
                module_audiences=None, translation_of=None, body=BODY, minutes=None) -> Course:
    """A course with `modules` published modules (slugs m1, m2, ...; `minutes` each, default 10 x n); commits.
    The one course factory: the quiz and progress tests call it with their own defaults."""
    course = Course(slug=slug, title=title, summary=f"Summary of {title}.", description=description,
                    language=language, audience=list(audience), trainer_emails=list(trainers),
                    prerequisites=[], is_published=published, translation_of=translation_of)
    db.session.add(course)
    for n in range(1, modules + 1):
        audience_n = (module_audiences or {}).get(n)
        db.session.add(Module(course=course, slug=f"m{n}", position=n, title=f"Module {n}",
                              minutes=minutes or 10 * n, body=body, summary=f"Summary of module {n}.",
                              audience=audience_n, is_published=True))
    db.session.commit()
    return course
