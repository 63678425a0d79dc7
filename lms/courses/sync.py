"""Course folders and lab files -> the database, in the caller's transaction (the CLI commits).

Contract: everything is read and checked first; with any error nothing is written (ContentInvalid).
Courses, modules and labs are matched by slug, so a renumbered module keeps its id and learners' progress.
Whatever did not change (by content hash) is not touched: a second run reports "Nothing changed.".
A module removed from the files is archived (hidden, progress kept) and comes back when its file does.
A module edited in the browser whose file changed too is a conflict: the browser version is kept unless
`force`. Rows made in the browser (file_hash None) are never archived by a sync.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from lms.courses import files, search
from lms.courses.files import Content, CourseFolder, ModuleFile
from lms.courses.frontmatter import ContentError
from lms.courses.models import Course, Module, ModuleRevision
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.labs.models import Lab
from lms.progress import completion

# Functions (course, parsed_course, report) run for every course in the files, inside the sync's
# transaction, after its modules are in place: the quiz feature imports the .gift files there.
QUIZ_SYNC_HOOKS: list = []
QUIZ_CHECK_HOOKS = files.QUIZ_CHECK_HOOKS  # the same list: (parsed_course) -> ["path:line: message"]

CHANGES = ("added", "updated", "restored", "archived")


class ContentInvalid(Exception):
    """Raised by a QUIZ_SYNC_HOOKS function that finds the files wrong while applying them."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} problem(s) in the content files")
        self.errors = errors


@dataclass
class SyncReport:
    counts: dict = field(default_factory=dict)  # kind ("courses", "modules", "labs", ...) -> Counter(action)
    conflicts: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)  # any: nothing was written
    notes: list[str] = field(default_factory=list)  # extra lines, e.g. from quiz hooks

    def count(self, kind: str, action: str, n: int = 1):
        self.counts.setdefault(kind, Counter())[action] += n

    def get(self, kind: str, action: str) -> int:
        return self.counts.get(kind, Counter())[action]

    @property
    def changed(self) -> bool:
        return any(counter[action] for counter in self.counts.values() for action in CHANGES)

    def _part(self, kind: str) -> str:
        counter = self.counts.get(kind, Counter())
        text = f"{kind}: {counter['added']} added, {counter['updated']} updated, {counter['unchanged']} unchanged"
        if counter["restored"]:
            text += f", {counter['restored']} restored"
        return text

    def summary(self) -> str:
        archived = f"archived: {self.get('modules', 'archived')} modules, {self.get('labs', 'archived')} labs"
        parts = [self._part("courses"), self._part("modules"), archived, self._part("labs")]
        parts += [self._part(kind) for kind in self.counts if kind not in ("courses", "modules", "labs")]
        parts.append(f"conflicts: {len(self.conflicts)}")
        return "; ".join(parts)

    def lines(self) -> list[str]:
        """What the CLI prints: conflicts, notes, the summary, and "Nothing changed." when so."""
        lines = [*self.conflicts, *self.notes, self.summary()]
        if not self.changed:
            lines.append("Nothing changed.")
        return lines


def check_content(courses_dir=None, labs_dir=None) -> Content:
    """Read and validate without writing (what `lms content check` runs)."""
    return files.read_content(courses_dir, labs_dir)


def sync_content(courses_dir=None, labs_dir=None, *, force: bool = False, now: datetime | None = None) -> SyncReport:
    """Read, check and apply the folders (None: leave that kind alone); flushes, the caller commits.

    When a file is wrong the report's `errors` lists every problem (`path:line: message`) and nothing was
    written: the checks run before any change, and an error raised while applying (ContentInvalid from a
    quiz hook) rolls the session back.
    """
    content = check_content(courses_dir, labs_dir)
    if content.errors:
        return SyncReport(errors=list(content.errors))
    try:
        return apply_content(content, force=force, now=now or utcnow())
    except ContentInvalid as exc:
        db.session.rollback()
        return SyncReport(errors=[ContentError.coerce(e) for e in exc.errors])


def apply_content(content: Content, *, force: bool = False, now: datetime) -> SyncReport:
    report = SyncReport()
    for parsed in content.courses:
        course, changed = sync_course(parsed, report)
        changed |= sync_modules(course, parsed, report, force=force, now=now)
        db.session.flush()
        for hook in QUIZ_SYNC_HOOKS:
            hook(course, parsed, report, force=force, now=now)
        if changed or not search.is_indexed(course):
            search.reindex(course)
    if content.courses_dir is not None:
        search.reindex_missing()
    if content.labs_dir is not None:
        sync_labs(content.labs, report, now=now)
    db.session.flush()
    if report.changed:
        # Added or removed modules, a new final quiz or lab requirement change who has completed what.
        synced = db.session.scalars(select(Course.id).where(Course.slug.in_([c.slug for c in content.courses])))
        completion.recompute(list(synced), now)
    return report


def sync_course(parsed: CourseFolder, report: SyncReport) -> tuple[Course, bool]:
    course = db.session.scalar(select(Course).where(Course.slug == parsed.slug))
    new_hash = parsed.content_hash
    if course is None:
        course = Course(slug=parsed.slug)
        db.session.add(course)
        report.count("courses", "added")
    elif course.file_hash == new_hash:
        report.count("courses", "unchanged")
        return course, False
    else:
        report.count("courses", "updated")
    course.title = parsed.title
    course.summary = parsed.summary
    course.description = parsed.description
    course.language = parsed.language
    course.audience = list(parsed.audience)
    course.trainer_emails = list(parsed.trainer_emails)
    course.prerequisites = list(parsed.prerequisites)
    course.final_quiz_settings = dict(parsed.final_quiz_settings)
    course.translation_of = parsed.translation_of
    course.cover = parsed.cover
    course.lab_slugs = list(parsed.lab_slugs)
    course.required_lab_slug = parsed.required_lab_slug
    course.file_hash = new_hash
    return course, True


def _apply_module_file(module: Module, parsed: ModuleFile, note: str):
    module.title = parsed.title
    module.minutes = parsed.minutes
    module.body = parsed.body
    module.audience = list(parsed.audience) if parsed.audience is not None else None
    module.summary = parsed.summary
    module.quiz_settings = dict(parsed.quiz_settings)
    module.is_optional = parsed.is_optional
    module.file_hash = parsed.content_hash
    module.edited_in_browser_at = None
    number = max((r.number for r in module.revisions), default=0) + 1
    module.revisions.append(ModuleRevision(number=number, title=parsed.title, minutes=parsed.minutes,
                                           body=parsed.body, source="file", note=note[:200]))


def conflict_message(parsed: ModuleFile, module: Module) -> str:
    when = module.edited_in_browser_at.strftime("%Y-%m-%d %H:%M UTC")
    return (f"{parsed.path}: conflict: edited in the browser on {when}; "
            "the browser version is kept (use --force to take the file)")


def order_conflict_message(parsed: ModuleFile, module: Module) -> str:
    return (f"{parsed.path}: conflict: the module is number {parsed.position} in the files but "
            f"{module.position} in the browser-edited course; the browser's order is kept "
            "(use --force to take the files' order)")


def sync_modules(course: Course, parsed: CourseFolder, report: SyncReport, *, force: bool, now: datetime) -> bool:
    """Upsert the course's modules by slug; archive those whose file is gone. True when anything changed."""
    existing = {m.slug: m for m in course.modules}
    changed = False
    for item in parsed.modules:
        module = existing.get(item.slug)
        note = f"synced from {item.path.name}"
        if module is None:
            module = Module(slug=item.slug, position=item.position)
            course.modules.append(module)
            _apply_module_file(module, item, note)
            report.count("modules", "added")
            changed = True
            continue
        action = None
        if module.archived_at is not None:
            module.archived_at = None
            action = "restored"
        new_hash = item.content_hash
        if new_hash != module.file_hash:
            browser_edited = module.edited_in_browser_at is not None
            same_as_browser = files.content_hash(files.module_values(module)) == new_hash
            if browser_edited and not same_as_browser and not force:
                report.conflicts.append(conflict_message(item, module))
            elif same_as_browser:
                # The file now says what the browser saved: nothing to take, no conflict.
                module.file_hash = new_hash
                module.edited_in_browser_at = None
            else:
                _apply_module_file(module, item, note + (" (--force over a browser edit)" if browser_edited else ""))
                action = action or "updated"
        if module.position != item.position:
            if module.edited_in_browser_at is not None and not force:
                # Reordered (or edited) in the browser: like a body edit, the browser's order wins until --force.
                report.conflicts.append(order_conflict_message(item, module))
            else:
                module.position = item.position
                action = action or "updated"
        if action:
            report.count("modules", action)
            changed = True
        else:
            report.count("modules", "unchanged")
    in_files = {item.slug for item in parsed.modules}
    for module in course.modules:
        if module.slug not in in_files and module.file_hash is not None and module.archived_at is None:
            module.archived_at = now
            report.count("modules", "archived")
            changed = True
    return changed


def sync_labs(labs: list[files.LabFile], report: SyncReport, *, now: datetime):
    """Upsert labs by slug; archive file-made labs whose file is gone; bring back those that return."""
    existing = {lab.slug: lab for lab in db.session.scalars(select(Lab))}
    for item in labs:
        lab = existing.get(item.slug)
        new_hash = item.content_hash
        if lab is None:
            lab = Lab(slug=item.slug)
            db.session.add(lab)
            action = "added"
        elif lab.file_hash == new_hash:
            if lab.archived_at is not None:
                lab.archived_at = None
                report.count("labs", "restored")
            else:
                report.count("labs", "unchanged")
            continue
        else:
            action = "restored" if lab.archived_at is not None else "updated"
        for name, value in files.lab_values(item).items():
            setattr(lab, name, value)
        lab.archived_at = None
        lab.file_hash = new_hash
        report.count("labs", action)
    in_files = {item.slug for item in labs}
    for lab in existing.values():
        if lab.slug not in in_files and lab.file_hash is not None and lab.archived_at is None:
            lab.archived_at = now
            report.count("labs", "archived")
