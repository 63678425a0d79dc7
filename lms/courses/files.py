"""Course folders -> plain dataclasses, with every problem as `path:line: message` (the courses loader's read
step, lms.courses.loader), and courses and modules back to files (export).

The format is docs/content-format.md. `read_courses(root)` reads and checks every course folder and returns
all the errors of all the files together; the sync writes nothing unless that list is empty.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.frontmatter import (
    SLUG_MAX,
    ContentError,
    Key,
    boolean,
    choice,
    dump_document,
    email_list,
    is_slug,
    one_of_list,
    read_document,
    slug,
    slug_list,
    text,
    text_list,
    whole_number,
)
from lms.content.loading import content_hash
from lms.courses.images import check_images

AUDIENCES = ("ceo", "manager", "technician", "hr")  # as lms.courses.models.AUDIENCES, without a model import
LANGUAGES = ("en", "it")
MODULE_FILE_RE = re.compile(r"^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
GIFT_FILE_RE = re.compile(r"^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.gift$")
COURSE_FILE = "course.md"
FINAL_GIFT = "final.gift"

QUIZ_SCHEMA = {
    "pass_mark": Key(whole_number(0, 100)),
    "attempts": Key(whole_number(0)),
    "time_limit": Key(whole_number(0)),
    "shuffle_questions": Key(boolean),
    "shuffle_answers": Key(boolean),
    "show_feedback": Key(choice("immediately", "after_last_attempt", "never")),
    "grade": Key(choice("best", "last")),
}
COURSE_SCHEMA = {
    "title": Key(text(200), required=True),
    "summary": Key(text(allow_empty=True), required=True),
    "language": Key(choice(*LANGUAGES), required=True),
    "audience": Key(one_of_list(AUDIENCES), required=True),
    "trainers": Key(email_list, required=True),
    "prerequisites": Key(text_list(200), default=list),
    "final_quiz": Key(None, default=dict, schema=QUIZ_SCHEMA),
    # Editions: the slug of the course this one translates (another folder, another language).
    "translation_of": Key(slug),
    "cover": Key(text(300)),  # an image under media/, shown on course cards
    "labs": Key(slug_list, default=list),  # demo labs that fit the course, by lab slug
    "lab": Key(slug),  # a lab whose session the learner must attend to complete the course
}
MODULE_SCHEMA = {
    "title": Key(text(200), required=True),
    "minutes": Key(whole_number(1), required=True),
    "audience": Key(one_of_list(AUDIENCES)),
    "summary": Key(text(allow_empty=True), default=""),
    "quiz": Key(None, default=dict, schema=QUIZ_SCHEMA),
    "optional": Key(boolean, default=False),  # not needed to complete the course
}


def module_values(m) -> dict:
    """What a module's file says, from a ModuleFile or a Module row alike."""
    values = {"title": m.title, "minutes": m.minutes, "body": m.body or "", "audience": m.audience,
              "summary": m.summary or "", "quiz_settings": m.quiz_settings or {}}
    if m.is_optional:  # only when set, so the hashes of existing modules stay as they were
        values["optional"] = True
    return values


def course_values(c) -> dict:
    values = {"title": c.title, "summary": c.summary or "", "description": c.description or "",
            "language": c.language, "audience": c.audience or [], "trainer_emails": c.trainer_emails or [],
            "prerequisites": c.prerequisites or [], "final_quiz_settings": c.final_quiz_settings or {},
            "translation_of": c.translation_of, "cover": c.cover, "lab_slugs": c.lab_slugs or []}
    if c.required_lab_slug:  # only when set, so the hashes of existing courses stay as they were
        values["required_lab_slug"] = c.required_lab_slug
    return values


@dataclass
class ModuleFile:
    slug: str
    position: int
    path: Path
    title: str
    minutes: int
    body: str
    audience: list | None = None
    summary: str = ""
    quiz_settings: dict = field(default_factory=dict)
    gift_path: Path | None = None
    is_optional: bool = False

    @property
    def content_hash(self) -> str:
        return content_hash(module_values(self))


@dataclass
class CourseFolder:
    slug: str
    path: Path  # the folder
    title: str
    summary: str
    description: str
    language: str
    audience: list
    trainer_emails: list
    prerequisites: list = field(default_factory=list)
    final_quiz_settings: dict = field(default_factory=dict)
    modules: list[ModuleFile] = field(default_factory=list)
    final_gift_path: Path | None = None
    translation_of: str | None = None
    cover: str | None = None
    lab_slugs: list = field(default_factory=list)
    required_lab_slug: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(course_values(self))

    @property
    def course_file(self) -> Path:
        return self.path / COURSE_FILE


def read_module(path: Path, course_dir: Path) -> tuple[ModuleFile | None, list[ContentError]]:
    match = MODULE_FILE_RE.match(path.name)
    doc, errors = read_document(path, MODULE_SCHEMA)
    if doc is None:
        return None, errors
    errors = check_images(path, course_dir, doc.body, doc.body_line)
    if len(match.group(2)) > SLUG_MAX:
        errors.append(ContentError(str(path), 1, f"the module slug is longer than {SLUG_MAX} characters"))
    if errors:
        return None, errors
    meta = doc.meta
    return ModuleFile(slug=match.group(2), position=int(match.group(1)), path=path, title=meta["title"],
                      minutes=meta["minutes"], body=doc.clean_body, audience=meta["audience"],
                      summary=meta["summary"], quiz_settings=meta["quiz"],
                      is_optional=meta["optional"]), []


def read_course(folder: Path) -> tuple[CourseFolder | None, list[ContentError]]:
    """One course folder: course.md, NN-slug.md modules, their NN-slug.gift quizzes, final.gift, media/."""
    course_file = folder / COURSE_FILE
    errors = []
    if not is_slug(folder.name):
        errors.append(ContentError(str(course_file), 1, f"the folder name '{folder.name}' is not a course slug "
                                   "(lower-case letters, digits and single hyphens, at most 100 characters)"))
    if not course_file.exists():
        errors.append(ContentError(str(course_file), 1, "missing: every course folder needs a course.md"))
        doc = None
    else:
        doc, more = read_document(course_file, COURSE_SCHEMA)
        errors.extend(more)
        if doc is not None:
            errors.extend(check_images(course_file, folder, doc.body, doc.body_line))
            if doc.meta["cover"]:
                line = doc.lines.get(("cover",), 1)
                errors.extend(check_images(course_file, folder, f"![cover]({doc.meta['cover']})", line))

    modules, gifts, final_gift = [], [], None
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name.startswith(".") or entry.is_dir() or name == COURSE_FILE:
            continue
        if name.endswith(".md"):
            if not MODULE_FILE_RE.match(name):
                errors.append(ContentError(str(entry), 1, "not a module file name: name modules NN-slug.md, "
                                           "e.g. 01-introduction.md (lower-case letters, digits, hyphens)"))
                continue
            module, more = read_module(entry, folder)
            errors.extend(more)
            if module is not None:
                modules.append(module)
        elif name.endswith(".gift"):
            if name == FINAL_GIFT:
                final_gift = entry
            else:
                gifts.append(entry)

    by_slug = {}
    for module in sorted(modules, key=lambda m: (m.position, m.path.name)):
        if module.slug in by_slug:
            errors.append(ContentError(str(module.path), 1, f"duplicate module slug '{module.slug}' "
                                       f"(also {by_slug[module.slug].path.name})"))
        else:
            by_slug[module.slug] = module
    stems = {m.path.stem: m for m in modules}
    module_names = {entry.stem for entry in folder.glob("*.md")}
    for gift in gifts:
        if not GIFT_FILE_RE.match(gift.name) or gift.stem not in module_names:
            errors.append(ContentError(str(gift), 1, f"stray quiz file: no module file {gift.stem}.md next to it "
                                       f"(a module's quiz is NN-slug.gift, the final quiz {FINAL_GIFT})"))
        elif gift.stem in stems:
            stems[gift.stem].gift_path = gift

    if errors or doc is None:
        return None, errors
    meta = doc.meta
    return CourseFolder(
        slug=folder.name, path=folder, title=meta["title"], summary=meta["summary"], description=doc.clean_body,
        language=meta["language"], audience=meta["audience"], trainer_emails=meta["trainers"],
        prerequisites=meta["prerequisites"], final_quiz_settings=meta["final_quiz"],
        modules=list(by_slug.values()), final_gift_path=final_gift,
        translation_of=meta["translation_of"], cover=meta["cover"], lab_slugs=meta["labs"],
        required_lab_slug=meta["lab"],
    ), []


def read_courses(root: Path) -> tuple[list[CourseFolder], list[ContentError]]:
    """Every course folder under `root` (each sub-folder is one course)."""
    if not root.is_dir():
        return [], [ContentError(str(root), 1, "no such folder")]
    courses, errors = [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        course, more = read_course(folder)
        errors.extend(more)
        if course is not None:
            courses.append(course)
    return courses, errors


def check_editions(courses: list[CourseFolder], labs: list | None) -> list[ContentError]:
    """Links between files: an edition names an existing course in another language that is not itself an
    edition; a course names labs (anything with a `.slug`) that exist, when the labs were read."""
    errors = []
    by_slug = {c.slug: c for c in courses}
    for course in courses:
        where = str(course.course_file)
        if course.translation_of:
            original = by_slug.get(course.translation_of)
            if original is None:
                errors.append(ContentError(where, 1, f"translation_of: no course '{course.translation_of}'"))
            elif original.translation_of:
                errors.append(ContentError(where, 1, f"translation_of: '{original.slug}' is itself an edition of "
                                           f"'{original.translation_of}'; name the original"))
            elif original.language == course.language:
                errors.append(ContentError(where, 1, f"translation_of: '{original.slug}' is in the same language"))
        if labs is not None:
            known = {lab.slug for lab in labs}
            for name in course.lab_slugs:
                if name not in known:
                    errors.append(ContentError(where, 1, f"labs: no lab '{name}' in the labs folder"))
            if course.required_lab_slug and course.required_lab_slug not in known:
                errors.append(ContentError(where, 1, f"lab: no lab '{course.required_lab_slug}' in the labs folder"))
    return errors


# Writing back ----------------------------------------------------------------------------------------

def course_file_text(course) -> str:
    """course.md for a Course row or a CourseFolder."""
    meta = {"title": course.title, "summary": course.summary or "", "language": course.language,
            "audience": list(course.audience or []), "trainers": list(course.trainer_emails or []),
            "prerequisites": list(course.prerequisites or [])}
    if course.translation_of:
        meta["translation_of"] = course.translation_of
    if course.cover:
        meta["cover"] = course.cover
    if course.lab_slugs:
        meta["labs"] = list(course.lab_slugs)
    if course.required_lab_slug:
        meta["lab"] = course.required_lab_slug
    if course.final_quiz_settings:
        meta["final_quiz"] = dict(course.final_quiz_settings)
    return dump_document(meta, course.description or "")


def module_file_text(module) -> str:
    """NN-slug.md for a Module row or a ModuleFile."""
    meta = {"title": module.title, "minutes": module.minutes}
    if module.audience is not None:
        meta["audience"] = list(module.audience)
    if module.summary:
        meta["summary"] = module.summary
    if module.quiz_settings:
        meta["quiz"] = dict(module.quiz_settings)
    if module.is_optional:
        meta["optional"] = True
    return dump_document(meta, module.body or "")


def module_file_names(modules) -> dict[str, str]:
    """slug -> file stem ("03-sensors") for modules in order. Their positions are kept when they are
    distinct and fit in three digits; otherwise the modules are numbered 1, 2, 3... in order."""
    positions = [m.position for m in modules]
    if len(set(positions)) != len(positions) or any(not 1 <= p <= 999 for p in positions):
        positions = list(range(1, len(modules) + 1))
    width = 3 if max(positions, default=0) > 99 else 2
    return {m.slug: f"{p:0{width}d}-{m.slug}" for m, p in zip(modules, positions, strict=True)}
