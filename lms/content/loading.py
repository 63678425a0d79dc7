"""One content sync for every feature: read every folder, check everything, then write in one transaction.

A feature takes part by registering a Loader from its `init_app` (`loading.register(loader.LOADER)`); this
module imports no feature. A sync runs in phases, each loader by loader in `order`:

1. read: each loader whose folder was given parses its files (`path:line: message` for every problem);
2. check: links between files, once everything is read (a course naming a lab, a quiz file's questions);
3. apply, only when phases 1-2 found nothing wrong: each loader writes its part and flushes. A loader that
   finds the files wrong while writing raises ContentInvalid, and the whole sync is rolled back.

The caller commits (the CLI, the admin page), so everything a sync writes is one transaction.
"""
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lms.content.frontmatter import ContentError
from lms.dbtypes import utcnow
from lms.extensions import db

CHANGES = ("added", "updated", "restored", "archived")


@dataclass(frozen=True)
class Loader:
    """One feature's part of the sync. Every step is optional.

    - read(folder: Path) -> (items, errors): parse the files; the items become content[name].
    - check(content) -> errors: links between files, run once every loader has read.
    - apply(content, report, *, force, now): write (add and flush, never commit); report what changed.
    - check_shipped(content) -> errors: run by `lms content check` on the configured folders only, for files
      that ship with the code and point into the content (the assessment's learning paths).
    - describe(items) -> str: the loader's part of "All content is valid: ...".
    Errors are ContentError or `path:line: message` strings.
    """

    name: str
    order: int  # loaders run in this order in every phase
    folder: str | None = None  # the folder it works on; a sync without that folder skips the loader
    config_key: str | None = None  # set by the loader that reads `folder`: its default, app.config[config_key]
    folder_help: str = ""  # --<folder> DIR's help
    kinds: tuple = ()  # report kinds always listed in the summary, even at 0
    read: Callable | None = None
    check: Callable | None = None
    apply: Callable | None = None
    check_shipped: Callable | None = None
    describe: Callable | None = None


_loaders: dict[str, Loader] = {}


def register(loader: Loader):
    """Add (or replace, when apps are made again in tests) a feature's loader."""
    _loaders[loader.name] = loader


def loaders() -> list[Loader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


def folders() -> list[Loader]:
    """The loaders that own a folder (a --<folder> option of the CLI and a configured default)."""
    return [loader for loader in loaders() if loader.folder and loader.config_key]


def configured_folders(config) -> dict:
    """Each registered folder where the app's configuration puts it: {"courses": COURSES_DIR, ...}."""
    return {loader.folder: config[loader.config_key] for loader in folders()}


class ContentInvalid(Exception):
    """Raised by a loader's apply step that finds the files wrong while writing: the sync is rolled back."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} problem(s) in the content files")
        self.errors = [ContentError.coerce(e) for e in errors]


def content_hash(values: dict) -> str:
    """A stable hash of the values a file says (not of its bytes: re-indenting the YAML is not a change)."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Content:
    """Everything read from the folders; nothing may be written unless `errors` is empty."""

    folders: dict = field(default_factory=dict)  # folder name -> Path; a folder not given is not read or synced
    parsed: dict = field(default_factory=dict)  # loader name -> what its read step returned
    errors: list[ContentError] = field(default_factory=list)

    def __getitem__(self, name: str) -> list:
        """What loader `name` read ([] when its folder was not given)."""
        return self.parsed.get(name, [])

    def was_read(self, name: str) -> bool:
        return name in self.parsed

    def add_errors(self, errors):
        self.errors.extend(ContentError.coerce(e) for e in errors or [])

    def describe(self) -> str:
        """"1 courses (2 modules), 2 labs": each loader's own words for what it read."""
        return ", ".join(loader.describe(self[loader.name]) for loader in loaders()
                         if loader.describe and self.was_read(loader.name))


@dataclass
class SyncReport:
    counts: dict = field(default_factory=dict)  # kind ("courses", "modules", "labs", ...) -> Counter(action)
    conflicts: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)  # any: nothing was written
    notes: list[str] = field(default_factory=list)  # extra lines from the loaders

    def count(self, kind: str, action: str, n: int = 1):
        self.counts.setdefault(kind, Counter())[action] += n

    def get(self, kind: str, action: str) -> int:
        return self.counts.get(kind, Counter())[action]

    @property
    def changed(self) -> bool:
        return any(counter[action] for counter in self.counts.values() for action in CHANGES)

    def part(self, kind: str) -> str:
        counter = self.counts.get(kind, Counter())
        text = f"{kind}: {counter['added']} added, {counter['updated']} updated, {counter['unchanged']} unchanged"
        for action in ("restored", "archived"):
            if counter[action]:
                text += f", {counter[action]} {action}"
        return text

    def summary(self) -> str:
        """One part per kind: the loaders' kinds in their order, then any other kind counted."""
        kinds = [kind for loader in loaders() for kind in loader.kinds]
        kinds += [kind for kind in self.counts if kind not in kinds]
        return "; ".join([*(self.part(kind) for kind in kinds), f"conflicts: {len(self.conflicts)}"])

    def lines(self) -> list[str]:
        """What the CLI prints: conflicts, notes, the summary, and "Nothing changed." when so."""
        lines = [*self.conflicts, *self.notes, self.summary()]
        if not self.changed:
            lines.append("Nothing changed.")
        return lines


def _given(names: dict) -> dict:
    known = {loader.folder for loader in loaders() if loader.folder}
    unknown = set(names) - known
    if unknown:
        raise TypeError(f"no loader reads the folder(s) {', '.join(sorted(unknown))}")
    return {name: Path(path) for name, path in names.items() if path is not None}


def _active(content: Content) -> list[Loader]:
    return [loader for loader in loaders() if loader.folder is None or loader.folder in content.folders]


def check_content(*, shipped: bool = False, **folders) -> Content:
    """Read and check the given folders (`courses=DIR, labs=DIR`; None or absent: not read) without writing.
    `shipped`: the folders are the configured ones, so the loaders' check_shipped steps run too."""
    content = Content(folders=_given(folders))
    active = _active(content)
    for loader in active:
        if loader.read is not None:
            items, errors = loader.read(content.folders[loader.folder])
            content.parsed[loader.name] = items
            content.add_errors(errors)
    for loader in active:
        if loader.check is not None:
            content.add_errors(loader.check(content))
    if shipped and not content.errors:
        for loader in active:
            if loader.check_shipped is not None:
                content.add_errors(loader.check_shipped(content))
    return content


def sync_content(*, force: bool = False, now: datetime | None = None, **folders) -> SyncReport:
    """Read, check and apply the given folders (a folder not given is left alone); flushes, the caller commits.

    When a file is wrong the report's `errors` lists every problem (`path:line: message`) and nothing was
    written: the checks run before any change, and ContentInvalid raised while applying rolls the session back.
    `force`: take the files' version of what was also edited in the browser.
    """
    content = check_content(**folders)
    if content.errors:
        return SyncReport(errors=list(content.errors))
    report, now = SyncReport(), now or utcnow()
    try:
        for loader in _active(content):
            if loader.apply is not None:
                loader.apply(content, report, force=force, now=now)
        db.session.flush()
    except ContentInvalid as exc:
        db.session.rollback()
        return SyncReport(errors=exc.errors)
    return report
