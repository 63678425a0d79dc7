"""The shipped vocabularies of profiles: competences (competences.yaml), levels, groups and languages.

The competence list is a file, not a table, so that it is reviewed and versioned like code and is the same on
every deployment; a profile stores the slug. The file is read once per process.
"""
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

VOCABULARY_FILE = Path(__file__).with_name("competences.yaml")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

GROUPS = {
    "industry40": _l("Industry 4.0"),
    "hr": _l("HR and people"),
    "strategy": _l("Strategy and innovation"),
}
LEVELS = {
    "can_teach": _l("Can teach"),
    "expert": _l("Expert"),
}
# The languages a person can say they teach in (ISO 639-1), each named in its own language.
LANGUAGES = {
    "it": "Italiano",
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "sl": "Slovenščina",
    "hr": "Hrvatski",
    "ro": "Română",
    "pl": "Polski",
    "ar": "العربية",
    "zh": "中文",
}


@dataclass(frozen=True)
class Competence:
    slug: str
    label: str
    label_it: str
    group: str

    def label_for(self, locale: str | None) -> str:
        return self.label_it if (locale or "").startswith("it") and self.label_it else self.label


class VocabularyError(ValueError):
    """competences.yaml is malformed; the message names the entry."""


def parse_vocabulary(text: str) -> list[Competence]:
    """The competences in `text` (YAML), in file order; VocabularyError on a bad or duplicate entry."""
    rows = yaml.safe_load(text) or []
    if not isinstance(rows, list):
        raise VocabularyError("the competence vocabulary must be a list")
    seen, result = set(), []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise VocabularyError(f"entry {i}: not a mapping")
        slug, label, group = row.get("slug"), row.get("label"), row.get("group")
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 60:
            raise VocabularyError(f"entry {i}: bad slug {slug!r}")
        if slug in seen:
            raise VocabularyError(f"entry {i}: duplicate slug {slug!r}")
        if not isinstance(label, str) or not label.strip():
            raise VocabularyError(f"entry {i} ({slug}): a label is required")
        if group not in GROUPS:
            raise VocabularyError(f"entry {i} ({slug}): unknown group {group!r}")
        seen.add(slug)
        result.append(Competence(slug, label.strip(), str(row.get("label_it") or "").strip(), group))
    return result


@functools.cache
def competences() -> tuple[Competence, ...]:
    return tuple(parse_vocabulary(VOCABULARY_FILE.read_text(encoding="utf-8")))


def by_slug() -> dict[str, Competence]:
    return {c.slug: c for c in competences()}


def get(slug: str) -> Competence | None:
    return by_slug().get(slug)


def grouped() -> list[tuple[str, str, list[Competence]]]:
    """[(group, group label, competences)] in the order of GROUPS, empty groups left out."""
    result = []
    for group, label in GROUPS.items():
        items = [c for c in competences() if c.group == group]
        if items:
            result.append((group, label, items))
    return result


def label(slug: str, locale: str | None = None) -> str:
    """The label of a vocabulary slug in `locale`; an unknown slug (removed from the file) shows as itself."""
    competence = get(slug)
    return competence.label_for(locale) if competence else slug
