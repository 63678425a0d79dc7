"""Every LMS_* setting the code reads is documented: in the README's settings table and in deploy/'s
environment file.

The names come from the source of the `lms` package, not from a list kept by hand: every direct read of the
environment (`os.environ.get("LMS_…")`, `os.environ["LMS_…"]`, `os.getenv("LMS_…")`) and every name of
`lms.config._ENV`, which config.load reads as f"LMS_{name}" (the only place allowed to build the name).
"""
import re
from pathlib import Path

from lms import config

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lms"
DIRECT_READ = re.compile(r"""(?:environ\.get\(|environ\[|getenv\()\s*["'](LMS_[A-Z0-9_]+)["']""")
BUILT_NAME = re.compile(r"""f["']LMS_\{""")


def settings_read_by_code() -> set[str]:
    names = {f"LMS_{name}" for name in config._ENV}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(DIRECT_READ.findall(text))
        if BUILT_NAME.search(text):
            assert path == PACKAGE / "config.py", f"{path}: an LMS_ name built at run time cannot be checked here"
    return names


def readme_settings() -> set[str]:
    """The names in the first column of the README's settings table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Settings"):]
    table = table[:table.index("\n## ")]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def env_file_settings() -> set[str]:
    text = (ROOT / "deploy" / "officina.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?(LMS_[A-Z0-9_]+)=", text, re.M))


def test_the_code_reads_the_settings_we_know_of():
    found = settings_read_by_code()
    # The direct read in lms/__init__.py and a few of config._ENV: proof that both ways are found.
    assert {"LMS_INSTANCE_PATH", "LMS_DATABASE_URL", "LMS_SECRET_KEY", "LMS_REDIS_URL"} <= found


def test_every_setting_the_code_reads_is_in_the_readme_table():
    missing = settings_read_by_code() - readme_settings()
    assert not missing, f"add these to README.md, Production, ### Settings: {sorted(missing)}"


def test_the_readme_table_names_no_lms_setting_the_code_ignores():
    unread = {name for name in readme_settings() if name.startswith("LMS_")} - settings_read_by_code()
    assert not unread, f"README.md documents settings nothing reads: {sorted(unread)}"


def test_every_setting_the_code_reads_is_in_the_environment_file():
    assert env_file_settings() == settings_read_by_code()


def test_a_direct_read_is_found(tmp_path):
    """The pattern catches the ways code reads the environment (and not a mere mention in a comment)."""
    sample = ('os.environ.get("LMS_ONE")\nos.environ["LMS_TWO"]\nos.getenv( "LMS_THREE", "x")\n'
              "# LMS_FOUR is only mentioned\n")
    assert set(DIRECT_READ.findall(sample)) == {"LMS_ONE", "LMS_TWO", "LMS_THREE"}
