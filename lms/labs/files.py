"""Lab files -> plain dataclasses, with every problem as `path:line: message` (the labs loader's read step).

`labs/<lab-slug>.md` describes a lab; `labs/<language>/<lab-slug>.md` the same lab in another language (its
sessions stay one lab's). The format is docs/content-format.md.
"""
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.frontmatter import (
    ContentError,
    Key,
    email,
    is_slug,
    one_of_list,
    read_document,
    text,
    text_list,
    whole_number,
)
from lms.content.loading import content_hash
from lms.courses.files import AUDIENCES, LANGUAGES
from lms.courses.images import check_images

LAB_SCHEMA = {
    "name": Key(text(200), required=True),
    "venue": Key(text(200), required=True),
    "address": Key(text(300), required=True),
    "seats": Key(whole_number(1), required=True),
    "equipment": Key(text_list(300), required=True),
    "coordinator": Key(email, required=True),
    "minutes": Key(whole_number(1)),
    "audience": Key(one_of_list(AUDIENCES)),
    "accessibility": Key(text(allow_empty=True), default=""),
    "fee": Key(text(200), default=""),  # "Free" or the price, as the visitor should read it
    "languages": Key(one_of_list(LANGUAGES), default=list),  # languages a session is held in
    "image": Key(text(300)),  # a photo or diagram under labs/media/, shown on the index and the lab page
}
# labs/<language>/<lab-slug>.md: the same lab described in another language (sessions stay one lab's).
LAB_TRANSLATION_SCHEMA = {
    "name": Key(text(200), required=True),
    "venue": Key(text(200)),
    "address": Key(text(300)),
    "equipment": Key(text_list(300)),
    "accessibility": Key(text(allow_empty=True)),
    "fee": Key(text(200)),
}


def lab_values(lab) -> dict:
    """What a lab's files say, from a LabFile or a Lab row alike."""
    return {"name": lab.name, "venue": lab.venue, "address": lab.address, "seats": lab.seats,
            "equipment": lab.equipment or [], "coordinator_email": lab.coordinator_email, "minutes": lab.minutes,
            "audience": lab.audience or [], "accessibility": lab.accessibility or "",
            "description": lab.description or "", "fee": lab.fee or "", "languages": lab.languages or [],
            "translations": lab.translations or {}, "image": lab.image}


@dataclass
class LabFile:
    slug: str
    path: Path
    name: str
    venue: str
    address: str
    seats: int
    equipment: list
    coordinator_email: str
    description: str
    minutes: int | None = None
    audience: list = field(default_factory=list)
    accessibility: str = ""
    fee: str = ""
    languages: list = field(default_factory=list)
    translations: dict = field(default_factory=dict)  # language -> {name, venue, ..., description}
    image: str | None = None  # "media/<file>", relative to the labs folder

    @property
    def content_hash(self) -> str:
        return content_hash(lab_values(self))


def read_lab(path: Path) -> tuple[LabFile | None, list[ContentError]]:
    errors = []
    if not is_slug(path.stem):
        errors.append(ContentError(str(path), 1, f"the file name '{path.name}' is not a lab slug "
                                   "(lower-case letters, digits and single hyphens, then .md)"))
    doc, more = read_document(path, LAB_SCHEMA)
    errors.extend(more)
    if doc is not None and doc.meta["image"]:  # checked as a course cover is, against the labs folder
        line = doc.lines.get(("image",), 1)
        errors.extend(check_images(path, path.parent, f"![image]({doc.meta['image']})", line))
    if errors:
        return None, errors
    meta = doc.meta
    return LabFile(slug=path.stem, path=path, name=meta["name"], venue=meta["venue"], address=meta["address"],
                   seats=meta["seats"], equipment=meta["equipment"], coordinator_email=meta["coordinator"],
                   description=doc.clean_body, minutes=meta["minutes"], audience=meta["audience"] or [],
                   accessibility=meta["accessibility"], fee=meta["fee"], languages=meta["languages"],
                   image=meta["image"]), []


def read_labs(root: Path) -> tuple[list[LabFile], list[ContentError]]:
    """Every `<lab-slug>.md` directly under `root`, with its translations from `root/<language>/`."""
    if not root.is_dir():
        return [], [ContentError(str(root), 1, "no such folder")]
    labs, errors = [], []
    for path in sorted(root.glob("*.md")):
        if path.name.startswith("."):
            continue
        lab, more = read_lab(path)
        errors.extend(more)
        if lab is not None:
            labs.append(lab)
    by_slug = {lab.slug: lab for lab in labs}
    for language in LANGUAGES:
        for path in sorted((root / language).glob("*.md")):
            doc, more = read_document(path, LAB_TRANSLATION_SCHEMA)
            errors.extend(more)
            if doc is None:
                continue
            lab = by_slug.get(path.stem)
            if lab is None:
                errors.append(ContentError(str(path), 1, f"no lab file {path.name} in {root} for this translation"))
                continue
            values = {k: v for k, v in doc.meta.items() if v is not None}
            lab.translations[language] = {**values, "description": doc.clean_body}
    return labs, errors
