"""The project's own test data (tests/data/) and, where present beside the repository, ../shared/fixtures.

Tests run on the own data always; the third-party lists in ../shared are extra cases that skip with a reason
when a clone has nothing beside it.
"""
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SHARED_FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


def payload_lines(folder: Path) -> list[str]:
    """Every non-blank line of the folder's *.txt files, in file order (an absent folder gives none)."""
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    return [line for path in files for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip()]


OWN_XSS = payload_lines(DATA / "xss")
SHARED_XSS = payload_lines(SHARED_FIXTURES / "xss")
GIFT = DATA / "gift"
SHARED_GIFT = SHARED_FIXTURES / "gift"


def shared(name: str, *values, id=None):  # noqa: A002 (pytest.param's name)
    """A pytest.param for a case that reads ../shared/fixtures/<name>: skipped with a reason where it is absent."""
    present = (SHARED_FIXTURES / name).exists()
    return pytest.param(*values, id=id, marks=pytest.mark.skipif(
        not present, reason=f"{SHARED_FIXTURES / name} is not beside this clone (extra third-party data)"))
