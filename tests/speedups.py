"""Set-up costs the tests pay once per process instead of once per test. Each test builds its own app
(its own config, database file and folders), and building one was ~0.45 s on this kind of machine: Werkzeug
compiles a URL builder per rule (160+ rules, an `ast` + `compile` each) and Jinja compiles every template again
for each new app. Both results depend only on their input, so they are kept for the whole run:

- URL builders: memoised by everything Werkzeug's code generation reads (the rule, its parsed parts, the
  defaults and whether unknown arguments are appended). If Werkzeug changes that private method, the tests
  fall back to compiling each time (slower, never wrong).
- Templates: Jinja's own bytecode cache (`jinja2.BytecodeCache`), in memory, keyed by template name and a
  checksum of the source, so an edited template is compiled again.
"""
import jinja2
from flask import Flask
from werkzeug.routing import Rule

_BUILDERS: dict = {}
_original_compile_builder = getattr(Rule, "_compile_builder", None)


def _builder_key(rule: Rule, append_unknown: bool):
    defaults = rule.defaults or {}
    return (rule.rule, tuple(rule._trace), append_unknown,
            tuple(sorted((str(k), repr(v), type(rule._converters.get(k)).__name__) for k, v in defaults.items())))


def _memoised_compile_builder(self, append_unknown: bool = True):
    if not (hasattr(self, "_trace") and hasattr(self, "_converters")):  # not the Werkzeug this was written for
        return _original_compile_builder(self, append_unknown)
    key = _builder_key(self, append_unknown)
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _original_compile_builder(self, append_unknown)
    return builder


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every app of the test process (Jinja checks the source's checksum)."""

    def __init__(self):
        self.buckets: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        data = self.buckets.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket):
        self.buckets[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()


def install():
    """For every app the test process builds (fixtures, live servers, tests' own): memoised URL builders (when
    Werkzeug's private method is the one this knows) and the shared template cache (Flask's jinja_options)."""
    if _original_compile_builder is not None:
        Rule._compile_builder = _memoised_compile_builder
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATES}
