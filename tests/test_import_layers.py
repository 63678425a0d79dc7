"""Features import each other one way only.

Builds the feature-level import graph of `lms/` from the source (every import, at the top of a module or
inside a function alike) and fails on any two features that import each other, naming the modules on both
sides. A feature is a package under `lms/` (`lms.courses.enrolment` belongs to `courses`); the core modules
(`lms.render`, `lms.ids`, ...) and the composition (`lms/__init__`, `commands`, `demo`, `cli`) are no feature.
The way out of a pair is a hook the lower feature offers and the higher one registers in its `init_app`
(README, "How the code is organised")."""
import ast
from functools import cache
from pathlib import Path

LMS = Path(__file__).resolve().parent.parent / "lms"


def features() -> set[str]:
    return {p.name for p in LMS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(LMS.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every module (or module.name) `path` imports, relative imports resolved."""
    name = module_of(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def feature_of(module: str, known: set[str]) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "lms" and parts[1] in known:
        return parts[1]
    return None


@cache
def feature_graph() -> dict[tuple[str, str], set[str]]:
    """{(importer feature, imported feature): {"importing.module -> imported.module", ...}}."""
    known = features()
    edges: dict[tuple[str, str], set[str]] = {}
    for path in sorted(LMS.rglob("*.py")):
        source = module_of(path)
        here = feature_of(source, known)
        if here is None:
            continue
        for target in imported_modules(path):
            there = feature_of(target, known)
            if there is not None and there != here:
                edges.setdefault((here, there), set()).add(f"{source} -> {target}")
    return edges


def two_way_pairs(edges: dict[tuple[str, str], set[str]]) -> list[str]:
    problems = []
    for (a, b), links in sorted(edges.items()):
        if a < b and (b, a) in edges:
            both = sorted(links) + sorted(edges[(b, a)])
            problems.append(f"{a} <-> {b}:\n    " + "\n    ".join(both))
    return problems


def test_the_graph_sees_feature_imports_inside_functions():
    # progress reads courses (a real, one-way edge): the scan must find it, or the next test proves nothing
    edges = feature_graph()
    assert ("progress", "courses") in edges
    assert "auth" in features() and "render" not in features()


def test_no_two_features_import_each_other():
    problems = two_way_pairs(feature_graph())
    assert not problems, "features importing each other:\n" + "\n".join(problems)
