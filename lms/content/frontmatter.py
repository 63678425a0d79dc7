"""Reading one content file: size, encoding, YAML front matter, and checking its keys against a schema.

Every problem is a ContentError that prints as `path:line: message`, the form editors and CI jump to.
Nothing here touches the database.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

MAX_BYTES = 1024 * 1024
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 100
_ERROR_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


class ContentError(NamedTuple):
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"

    @classmethod
    def coerce(cls, error) -> "ContentError":
        """A ContentError from a hook's answer: a ContentError or a `path:line: message` string."""
        if isinstance(error, ContentError):
            return error
        match = _ERROR_RE.match(str(error))
        if match:
            return cls(match["path"], int(match["line"]), match["message"])
        return cls("", 0, str(error))


class Invalid(Exception):
    """A value does not fit its key; the message completes "<key>: ..."."""


@dataclass
class Document:
    """A file split into checked front matter and its Markdown body."""

    path: Path
    meta: dict
    body: str  # as written, after the closing '---' (line endings normalised)
    body_line: int  # line number in the file of the body's first line
    lines: dict = field(default_factory=dict)  # key path (tuple) -> line number in the file

    @property
    def clean_body(self) -> str:
        """The body as stored: no leading blank lines, no trailing whitespace."""
        return self.body.lstrip("\n").rstrip()


def read_text(path: Path) -> tuple[str | None, list[ContentError]]:
    """The file's text, or the reason it cannot be content: too big, empty, not UTF-8, NUL bytes."""
    where = str(path)
    try:
        if not path.is_file():
            return None, [ContentError(where, 1, "not a regular file")]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [ContentError(where, 1, f"the file is too large ({size:,} bytes; the limit is 1 MB)")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [ContentError(where, 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [ContentError(where, line, f"not valid UTF-8 (byte offset {exc.start}); save the file as UTF-8")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [ContentError(where, 1, "the file is empty")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [ContentError(where, line, "the file contains a NUL character")]
    return text, []


def split_front_matter(path: Path, text: str):
    """(yaml_text, first_yaml_line, body, body_line) or a ContentError."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return ContentError(str(path), 1, "the file must start with front matter: a line '---', the keys, a line '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    return ContentError(str(path), 1, "the front matter is not closed: add a line '---' after the keys")


def describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _key_lines(node, first_line: int, prefix=()) -> tuple[dict, list[tuple[str, int]]]:
    """Line of every mapping key (nested too), and the keys written twice."""
    lines, duplicates = {}, []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = (*prefix, key_node.value)
            line = first_line + key_node.start_mark.line
            if key in lines:
                duplicates.append((".".join(key), line))
            lines[key] = line
            nested, dups = _key_lines(value_node, first_line, key)
            lines.update(nested)
            duplicates.extend(dups)
    return lines, duplicates


def parse_yaml(path: Path, yaml_text: str, first_line: int):
    """(mapping, key lines, errors). YAML errors carry the line of the problem in the file."""
    loader = yaml.SafeLoader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, {}, [ContentError(str(path), line, f"invalid YAML in the front matter: {problem}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        what = "empty" if data is None else describe(data)
        return None, {}, [ContentError(
            str(path), first_line, f"the front matter must be a mapping of keys to values (it is {what})")]
    lines, duplicates = _key_lines(node, first_line)
    errors = [ContentError(str(path), line, f"{key}: the key is written twice") for key, line in duplicates]
    return data, lines, errors


# Checkers: value -> clean value, or Invalid. --------------------------------------------------------

def text(max_length: int | None = None, allow_empty: bool = False) -> Callable:
    def check(value):
        if not isinstance(value, str):
            raise Invalid(f"must be text, not {describe(value)} (put it in quotes)")
        value = value.strip()
        if not value and not allow_empty:
            raise Invalid("must not be empty")
        if max_length and len(value) > max_length:
            raise Invalid(f"is too long ({len(value)} characters; at most {max_length})")
        return value
    return check


def whole_number(minimum: int = 0, maximum: int | None = None) -> Callable:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
                maximum is not None and value > maximum):
            limits = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
            raise Invalid(f"must be a whole number {limits}, not {describe(value)}")
        return value
    return check


def boolean(value):
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {describe(value)}")
    return value


def choice(*allowed: str) -> Callable:
    def check(value):
        if value not in allowed:
            raise Invalid(f"must be one of {', '.join(allowed)}, not {describe(value)}")
        return value
    return check


def _entries(value, item: Callable, example: str) -> list:
    """Each entry of the list `value` checked by `item`; the first bad one is reported with its position."""
    if not isinstance(value, list):
        raise Invalid(f"must be a list like {example}, not {describe(value)}")
    clean = []
    for position, entry in enumerate(value, 1):
        try:
            clean.append(item(entry))
        except Invalid as exc:
            raise Invalid(f"entry {position} {exc}") from None
    return clean


def text_list(max_length: int | None = None, non_empty: bool = False) -> Callable:
    item = text(max_length)

    def check(value):
        clean = _entries(value, item, "[a, b]")
        if non_empty and not clean:
            raise Invalid("must list at least one value")
        return clean
    return check


def one_of_list(allowed: tuple, non_empty: bool = True) -> Callable:
    def check(value):
        if not isinstance(value, list):
            raise Invalid(f"must be a list like [{', '.join(allowed[:2])}], not {describe(value)}")
        if non_empty and not value:
            raise Invalid(f"must list at least one of {', '.join(allowed)}")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise Invalid(f"{describe(unknown[0])} is not one of {', '.join(allowed)}")
        return list(dict.fromkeys(value))  # keep the order, drop repeats
    return check


def email(value):
    if not isinstance(value, str) or not EMAIL_RE.match(value.strip()):
        raise Invalid(f"must be an e-mail address, not {describe(value)}")
    return value.strip().lower()


def is_slug(value: str) -> bool:
    """Lower-case letters, digits and single hyphens, at most SLUG_MAX characters: course, module and lab names."""
    return bool(SLUG_RE.match(value)) and len(value) <= SLUG_MAX


def slug(value):
    if not isinstance(value, str) or not is_slug(value.strip()):
        raise Invalid(f"must be a slug (lower-case letters, digits and single hyphens), not {describe(value)}")
    return value.strip()


def list_of(item: Callable, example: str) -> Callable:
    """A checker for a list whose entries pass `item`; repeats dropped, order kept."""
    def check(value):
        return list(dict.fromkeys(_entries(value, item, example)))
    return check


email_list = list_of(email, "[a@example.org] (e-mail addresses)")
slug_list = list_of(slug, "[cobot-cell] (slugs)")


@dataclass(frozen=True)
class Key:
    check: Callable
    required: bool = False
    default: Any = None
    schema: dict | None = None  # for a nested mapping


def check_mapping(path: Path, data: dict, lines: dict, schema: dict, prefix=(), start_line: int = 1):
    """(clean values, errors): unknown keys, missing required keys, wrong types, each at its line."""
    where = str(path)
    values, errors = {}, []
    for key in data:
        if key not in schema:
            line = lines.get((*prefix, str(key)), start_line)
            allowed = ", ".join(schema)
            errors.append(ContentError(where, line, f"unknown key '{'.'.join((*prefix, str(key)))}' (allowed: {allowed})"))
    for name, spec in schema.items():
        dotted = ".".join((*prefix, name))
        line = lines.get((*prefix, name), start_line)
        if name not in data or (data[name] is None and not spec.required):
            if spec.required:
                errors.append(ContentError(where, start_line, f"missing required key '{dotted}'"))
            else:
                values[name] = spec.default() if callable(spec.default) else spec.default
            continue
        value = data[name]
        if spec.schema is not None:
            if not isinstance(value, dict):
                errors.append(ContentError(where, line, f"{dotted}: must be a mapping of keys to values, not {describe(value)}"))
                continue
            nested, nested_errors = check_mapping(path, value, lines, spec.schema, (*prefix, name), line)
            values[name] = {k: v for k, v in nested.items() if value.get(k) is not None}  # only what was written
            errors.extend(nested_errors)
            continue
        try:
            values[name] = spec.check(value)
        except Invalid as exc:
            errors.append(ContentError(where, line, f"{dotted}: {exc}"))
    return values, errors


def read_document(path: Path, schema: dict) -> tuple[Document | None, list[ContentError]]:
    """Read, split and check one file; a Document only when there is no error at all."""
    text_, errors = read_text(path)
    if errors:
        return None, errors
    split = split_front_matter(path, text_)
    if isinstance(split, ContentError):
        return None, [split]
    yaml_text, first_line, body, body_line = split
    data, lines, errors = parse_yaml(path, yaml_text, first_line)
    if data is None:
        return None, errors
    values, more = check_mapping(path, data, lines, schema)
    errors.extend(more)
    if errors:
        return None, errors
    return Document(path, values, body, body_line, lines), []


class _Dumper(yaml.SafeDumper):
    """Mappings as blocks, lists inline (`audience: [ceo, manager]`), as people write them."""


_Dumper.add_representer(list, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


def dump_document(meta: dict, body: str) -> str:
    """A file in the format read_document reads: YAML front matter between '---' lines, then the body."""
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                      width=10_000)
    body = body.strip("\n")
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"
