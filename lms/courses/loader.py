"""The courses loader: course folders -> courses and modules, in the content sync's transaction.

Courses and modules are matched by slug, so a renumbered module keeps its id and learners' progress.
Whatever did not change (by content hash) is not touched: a second run reports "Nothing changed.".
A module removed from the files is archived (hidden, progress kept) and comes back when its file does.
A module edited in the browser whose file changed too is a conflict: the browser version is kept unless
`force`. Rows made in the browser (file_hash None) are never archived by a sync.
"""
from datetime import datetime

from sqlalchemy import select

from lms.content.loading import Loader, SyncReport, content_hash
from lms.courses import files, search
from lms.courses.files import CourseFolder, ModuleFile
from lms.courses.models import Course, Module, ModuleRevision
from lms.extensions import db


def check(content) -> list:
    """Editions name an existing original; courses name labs that exist (when the labs folder was read)."""
    return files.check_editions(content["courses"], content["labs"] if content.was_read("labs") else None)


def apply(content, report: SyncReport, *, force: bool, now: datetime):
    for parsed in content["courses"]:
        course, changed = sync_course(parsed, report)
        changed |= sync_modules(course, parsed, report, force=force, now=now)
        db.session.flush()
        if changed or not search.is_indexed(course):
            search.reindex(course)
    search.reindex_missing()


def describe(courses) -> str:
    return f"{len(courses)} courses ({sum(len(course.modules) for course in courses)} modules)"


LOADER = Loader(
    "courses", order=10, folder="courses", config_key="COURSES_DIR",
    folder_help="Folder of course folders (default: COURSES_DIR, the project's courses/).",
    kinds=("courses", "modules"), read=files.read_courses, check=check, apply=apply, describe=describe)


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
            same_as_browser = content_hash(files.module_values(module)) == new_hash
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
