"""The self-assessment's data file (questions.yaml) -> plain dataclasses, every problem as `path:line: message`.

The file is read once per process (`questionnaire()`), checked when the app starts, and its learning-path
mapping is checked against the course and lab files by `lms content check` (`check_mapping`). No Flask here.
"""
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lms.content.frontmatter import ContentError

QUESTIONS_FILE = Path(__file__).with_name("questions.yaml")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LEVELS = range(6)  # 0..5
LANGUAGES = ("en", "it")
MAX_TEXT = 400


class QuestionnaireInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Texts:
    """A text in every language; `for_locale` falls back to English."""

    en: str
    it: str

    def for_locale(self, locale) -> str:
        return self.it if str(locale or "").startswith("it") else self.en


@dataclass(frozen=True)
class Level:
    value: int
    text: Texts
    example: Texts


@dataclass(frozen=True)
class Question:
    slug: str
    dimension: str
    text: Texts
    levels: tuple[Level, ...]
    line: int


@dataclass(frozen=True)
class Ref:
    """A course module (course/module), a quiz (course/module or course/final) or a lab (slug), with its line."""

    course: str | None
    slug: str
    line: int


@dataclass(frozen=True)
class PathMap:
    modules: tuple[Ref, ...] = ()
    quizzes: tuple[Ref, ...] = ()
    labs: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Dimension:
    slug: str
    name: Texts
    advice: Texts
    path: PathMap
    questions: tuple[Question, ...]
    line: int


@dataclass(frozen=True)
class Stage:
    level: int
    name: Texts
    description: Texts


@dataclass(frozen=True)
class Questionnaire:
    version: int
    stages: tuple[Stage, ...]
    dimensions: tuple[Dimension, ...]
    path: str = ""
    _by_slug: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def questions(self) -> list[Question]:
        return [q for d in self.dimensions for q in d.questions]

    def question(self, slug: str) -> Question | None:
        if not self._by_slug:
            self._by_slug.update({q.slug: q for q in self.questions})
        return self._by_slug.get(slug)

    def dimension(self, slug: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.slug == slug), None)

    def stage(self, level: int | None) -> Stage | None:
        return None if level is None else next((s for s in self.stages if s.level == level), None)


class _Reader:
    """Walks the YAML node tree (not the loaded values) so that every error can name its line."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[ContentError] = []

    def error(self, node, message: str):
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(ContentError(self.path, line, message))

    def mapping(self, node, what: str) -> dict | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping (key: value lines)")
            return None
        result = {}
        for key, value in node.value:
            if key.value in result:
                self.error(key, f"{what}: '{key.value}' appears twice")
            result[key.value] = value
        return result

    def sequence(self, node, what: str) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list (lines starting with '- ')")
            return []
        return list(node.value)

    def text(self, parent_node, mapping: dict, key: str, what: str) -> str:
        node = mapping.get(key)
        if node is None:
            self.error(parent_node, f"{what}: '{key}' is missing")
            return ""
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.error(node, f"{what}: '{key}' must be a non-empty text")
            return ""
        value = str(node.value).strip()
        if len(value) > MAX_TEXT:
            self.error(node, f"{what}: '{key}' is longer than {MAX_TEXT} characters")
        return value

    def texts(self, node, mapping: dict, prefix: str, what: str) -> Texts:
        return Texts(*(self.text(node, mapping, f"{prefix}{lang}", what) for lang in LANGUAGES))

    def integer(self, node, what: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"\d{1,6}", str(node.value)):
            return int(node.value)
        self.error(node, f"{what} must be a whole number")
        return None

    def slug(self, node, mapping: dict, what: str, seen: set) -> str:
        value = self.text(node, mapping, "slug", what)
        if value and (not SLUG_RE.match(value) or len(value) > 60):
            self.error(mapping["slug"], f"{what}: slug '{value}' must be lower-case letters, digits and hyphens")
        elif value in seen:
            self.error(mapping["slug"], f"{what}: slug '{value}' is used twice")
        seen.add(value)
        return value

    def refs(self, node, what: str, with_course: bool) -> tuple[Ref, ...]:
        refs = []
        for item in self.sequence(node, what):
            value = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
            parts = value.split("/")
            if with_course and (len(parts) != 2 or not all(SLUG_RE.match(p) for p in parts)):
                self.error(item, f"{what}: '{value}' must be course-slug/module-slug")
            elif not with_course and not SLUG_RE.match(value):
                self.error(item, f"{what}: '{value}' must be a lab slug")
            else:
                refs.append(Ref(parts[0], parts[1], item.start_mark.line + 1) if with_course
                            else Ref(None, value, item.start_mark.line + 1))
        return tuple(refs)


def parse_questionnaire(text: str, path: str = "questions.yaml") -> Questionnaire:
    """The questionnaire in `text`; QuestionnaireInvalid lists every problem found, each with its line."""
    reader = _Reader(path)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise QuestionnaireInvalid([ContentError(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) \
            from None
    top = reader.mapping(root, "the file") if root is not None else None
    if top is None:
        raise QuestionnaireInvalid(reader.errors or [ContentError(path, 1, "the file is empty")])

    version = reader.integer(top["version"], "version") if "version" in top else None
    if "version" not in top:
        reader.error(root, "'version' is missing")

    stages = []
    for position, node in enumerate(reader.sequence(top.get("stages", root), "stages")):
        entry = reader.mapping(node, f"stage {position + 1}")
        if entry is None:
            continue
        level = reader.integer(entry.get("level", node), f"stage {position + 1}: level")
        if level is not None and level != position:
            reader.error(node, f"stage {position + 1}: levels must be 0 to 5 in order, found {level}")
        stages.append(Stage(position, reader.texts(node, entry, "", f"stage {position}"),
                            reader.texts(node, entry, "description_", f"stage {position}")))
    if len(stages) != len(LEVELS):
        reader.error(top.get("stages", root), f"stages: there must be {len(LEVELS)} stages (0 to 5), found {len(stages)}")

    dimensions, dimension_slugs, question_slugs = [], set(), set()
    for node in reader.sequence(top.get("dimensions", root), "dimensions"):
        entry = reader.mapping(node, "a dimension")
        if entry is None:
            continue
        slug = reader.slug(node, entry, "a dimension", dimension_slugs)
        what = f"dimension '{slug}'"
        questions = tuple(_question(reader, q, slug, question_slugs)
                          for q in reader.sequence(entry.get("questions", node), f"{what}: questions"))
        if len(questions) < 3:
            reader.error(node, f"{what}: needs at least 3 questions, found {len(questions)}")
        dimensions.append(Dimension(slug, reader.texts(node, entry, "", what), reader.texts(node, entry, "advice_", what),
                                    _path(reader, entry.get("path"), node, what), questions, node.start_mark.line + 1))
    if not dimensions:
        reader.error(root, "'dimensions' must list at least one dimension")
    if reader.errors:
        raise QuestionnaireInvalid(reader.errors)
    return Questionnaire(version, tuple(stages), tuple(dimensions), path)


def _question(reader: _Reader, node, dimension: str, seen: set) -> Question:
    entry = reader.mapping(node, f"a question of '{dimension}'") or {}
    slug = reader.slug(node, entry, f"a question of '{dimension}'", seen) if entry else ""
    what = f"question '{slug}'"
    levels = []
    level_nodes = reader.sequence(entry.get("levels", node), f"{what}: levels") if entry else []
    if entry and len(level_nodes) != len(LEVELS):
        reader.error(entry.get("levels", node), f"{what}: needs exactly 6 levels (0 to 5), found {len(level_nodes)}")
    for value, level_node in enumerate(level_nodes):
        level = reader.mapping(level_node, f"{what}: level {value}")
        if level is None:
            continue
        levels.append(Level(value, reader.texts(level_node, level, "", f"{what}: level {value}"),
                            reader.texts(level_node, level, "example_", f"{what}: level {value}")))
    return Question(slug, dimension, reader.texts(node, entry, "", what) if entry else Texts("", ""), tuple(levels),
                    node.start_mark.line + 1)


def _path(reader: _Reader, node, parent, what: str) -> PathMap:
    if node is None:
        reader.error(parent, f"{what}: 'path' is missing (the modules, quizzes and labs for this dimension)")
        return PathMap()
    entry = reader.mapping(node, f"{what}: path") or {}
    path = PathMap(
        modules=reader.refs(entry["modules"], f"{what}: path modules", True) if "modules" in entry else (),
        quizzes=reader.refs(entry["quizzes"], f"{what}: path quizzes", True) if "quizzes" in entry else (),
        labs=reader.refs(entry["labs"], f"{what}: path labs", False) if "labs" in entry else (),
    )
    if not path.modules:
        reader.error(node, f"{what}: path needs at least one module")
    return path


def load(path: Path = QUESTIONS_FILE) -> Questionnaire:
    return parse_questionnaire(Path(path).read_text(encoding="utf-8"), str(path))


@functools.cache
def questionnaire() -> Questionnaire:
    """The shipped questionnaire, read once per process."""
    return load(QUESTIONS_FILE)


def check_mapping(questionnaire: Questionnaire, courses, labs) -> list[ContentError]:
    """Every module, quiz and lab the learning paths name must exist in `courses` (parsed course folders with
    `.slug`, `.modules[].slug/.gift_path`, `.final_gift_path`) and `labs` (parsed lab files with `.slug`)."""
    by_course = {c.slug: c for c in courses}
    lab_slugs = {lab.slug for lab in labs}
    errors = []
    for dimension in questionnaire.dimensions:
        for ref in dimension.path.modules:
            course = by_course.get(ref.course)
            if course is None:
                errors.append(ContentError(questionnaire.path, ref.line, f"no course '{ref.course}' in the courses folder"))
            elif not any(m.slug == ref.slug for m in course.modules):
                errors.append(ContentError(questionnaire.path, ref.line,
                                           f"course '{ref.course}' has no module '{ref.slug}'"))
        for ref in dimension.path.quizzes:
            course = by_course.get(ref.course)
            if course is None:
                errors.append(ContentError(questionnaire.path, ref.line, f"no course '{ref.course}' in the courses folder"))
            elif ref.slug == "final":
                if course.final_gift_path is None:
                    errors.append(ContentError(questionnaire.path, ref.line, f"course '{ref.course}' has no final quiz"))
            else:
                module = next((m for m in course.modules if m.slug == ref.slug), None)
                if module is None or module.gift_path is None:
                    errors.append(ContentError(questionnaire.path, ref.line,
                                               f"course '{ref.course}' has no quiz for module '{ref.slug}'"))
        for ref in dimension.path.labs:
            if ref.slug not in lab_slugs:
                errors.append(ContentError(questionnaire.path, ref.line, f"no lab '{ref.slug}' in the labs folder"))
    return errors
