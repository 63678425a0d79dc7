"""Backup and restore: the database and the uploaded files in one archive (a .tar.gz).

The database goes in the way its engine does best: SQLite through its online backup API (a consistent copy while
the app runs), PostgreSQL through pg_dump's custom format when pg_dump is on PATH; otherwise, or on request, a
portable dump of every table through SQLAlchemy (JSON lines), which restores into SQLite or PostgreSQL alike.
The database is copied before the files, so every file a copied row names is in the archive.

Archive layout: manifest.json, database/<dump>, uploads/<the UPLOAD_DIR tree>.
"""
import base64
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - pg_dump/pg_restore, found on PATH, with argument lists (no shell)
import tarfile
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import Integer, func, inspect, select, text
from sqlalchemy.engine import make_url

from lms.cachestamps import MADE_WITH_THE_SCHEMA

FORMAT_VERSION = 1
METHODS = ("sqlite", "pg_dump", "portable")


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


def choose_method(dialect: str, requested: str = "auto") -> str:
    if requested == "portable":
        return "portable"
    if requested not in ("auto", "native"):
        raise BackupError(f"unknown format {requested!r}: auto, native or portable")
    if dialect == "sqlite":
        return "sqlite"
    if dialect == "postgresql" and shutil.which("pg_dump"):
        return "pg_dump"
    if requested == "native":
        raise BackupError("pg_dump is not on PATH (apt-get install postgresql-client)")
    return "portable"


def revision_of(engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(MigrationContext.configure(connection).get_current_heads())


# -- backup -----------------------------------------------------------------------------------------------

def backup(engine, metadata, upload_dir: str, out: str, method: str = "auto", now: datetime | None = None) -> dict:
    """Write the archive to `out` (mode 600: it holds password hashes); return its manifest."""
    method = choose_method(engine.dialect.name, method)
    out_path = Path(out)
    with tempfile.TemporaryDirectory(prefix="lms-backup-", dir=out_path.parent) as work:
        work = Path(work)
        (work / "database").mkdir()
        tables = _dump_database(engine, metadata, method, work / "database")
        manifest = {"format": FORMAT_VERSION, "created_at": (now or datetime.now().astimezone()).isoformat(),
                    "dialect": engine.dialect.name, "method": method, "revision": revision_of(engine),
                    "tables": tables, "uploads": _count_files(upload_dir)}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = out_path.with_name(out_path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(work / "database", arcname="database")
            if Path(upload_dir).is_dir():
                archive.add(upload_dir, arcname="uploads")
        os.replace(partial, out_path)
    return manifest


def _count_files(folder: str) -> int:
    return sum(1 for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).is_dir() else 0


def _dump_database(engine, metadata, method: str, folder: Path) -> dict:
    if method == "sqlite":
        target = sqlite3.connect(folder / "lms.sqlite3")
        source = engine.raw_connection()
        try:
            source.driver_connection.backup(target)
        finally:
            source.close()
            target.close()
        return _row_counts(engine, metadata)
    if method == "pg_dump":
        url, env = _libpq(engine.url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / 'lms.pgdump'}",
              f"--dbname={url}"], env)
        return _row_counts(engine, metadata)
    return _portable_dump(engine, metadata, folder / "tables.jsonl")


def _row_counts(engine, metadata) -> dict:
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t))
                for t in metadata.sorted_tables if t.name in existing}


def _libpq(url):
    """A libpq connection URL without the password (which goes in PGPASSWORD, not on a command line)."""
    url = make_url(url)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict):
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not on PATH (apt-get install postgresql-client)")
    result = subprocess.run([executable, *command[1:]], env=env, capture_output=True, text=True)  # nosec B603 - a fixed program and our own arguments, no shell
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1:
        (key, value), = obj.items()
        if key == "$datetime":
            return datetime.fromisoformat(value)
        if key == "$date":
            return date.fromisoformat(value)
        if key == "$bytes":
            return base64.b64decode(value)
        if key == "$decimal":
            return Decimal(value)
    return obj


def _portable_dump(engine, metadata, path: Path) -> dict:
    """Every table the models describe, parents first, one JSON line per row: {"table": ..., "row": {...}}."""
    counts = {}
    existing = set(inspect(engine).get_table_names())
    # PostgreSQL: one snapshot for every table. (SQLite backups use the backup API unless asked otherwise.)
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, path.open("w", encoding="utf-8") as out:
        for table in metadata.sorted_tables:
            if table.name not in existing or table.name in MADE_WITH_THE_SCHEMA:
                continue
            counts[table.name] = 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in connection.execute(select(table).order_by(*order)).mappings():
                out.write(json.dumps({"table": table.name, "row": dict(row)}, default=_encode, ensure_ascii=False))
                out.write("\n")
                counts[table.name] += 1
    return counts


# -- restore ----------------------------------------------------------------------------------------------

def read_manifest(archive_path: str) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = json.loads(archive.extractfile("manifest.json").read())
    except (tarfile.TarError, KeyError, OSError, ValueError, AttributeError) as exc:
        raise BackupError(f"not an lms backup: {archive_path} has no readable manifest.json") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION or manifest.get("method") not in METHODS:
        raise BackupError("not an lms backup this version can read")
    return manifest


def is_empty(engine, metadata) -> bool:
    """True for a database with none of the models' tables, or with all of them empty."""
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return all(connection.scalar(select(func.count()).select_from(t)) == 0
                   for t in metadata.sorted_tables if t.name in existing and t.name not in MADE_WITH_THE_SCHEMA)


def restore(engine, metadata, upload_dir: str, archive_path: str, upgrade_to=None, force: bool = False) -> dict:
    """Put the archive's database and files in place of this instance's. Refuses a database or an upload
    folder that has content unless `force` (then replaces it). `upgrade_to(revision)` makes the schema a
    portable dump is loaded into. Returns the manifest."""
    manifest = read_manifest(archive_path)
    dialect = engine.dialect.name
    if manifest["method"] == "sqlite" and dialect != "sqlite" or manifest["method"] == "pg_dump" and dialect != "postgresql":
        raise BackupError(f"this archive holds a {manifest['dialect']} database and the instance uses {dialect}: "
                          "make a portable one (lms backup --format portable) to move between them")
    if not force:
        if not is_empty(engine, metadata):
            raise BackupError("the database already has data: restore into a fresh one, or use --force to replace it")
        if _count_files(upload_dir):
            raise BackupError(f"{upload_dir} already has files: restore into a fresh instance, or use --force")
    with tempfile.TemporaryDirectory(prefix="lms-restore-") as work:
        work = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # no absolute paths, no .., no links out, no devices
        _restore_database(engine, metadata, manifest, work / "database", upgrade_to, force)
        uploads = Path(upload_dir)
        if uploads.exists():
            shutil.rmtree(uploads)
        if (work / "uploads").is_dir():
            uploads.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "uploads", uploads)
    return manifest


def _restore_database(engine, metadata, manifest, folder: Path, upgrade_to, force):
    method = manifest["method"]
    engine.dispose()  # no pooled connection may hold the old database open
    if method == "sqlite":
        source = sqlite3.connect(folder / "lms.sqlite3")
        target = sqlite3.connect(engine.url.database, timeout=30)
        try:
            source.backup(target)  # replaces every page of the target, WAL included
        finally:
            source.close()
            target.close()
    elif method == "pg_dump":
        url, env = _libpq(engine.url)
        # --clean: the dump's tables replace any of the same name (a fresh database made with lms db upgrade).
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
              f"--dbname={url}", str(folder / "lms.pgdump")], env)
    else:
        if force:
            _drop_everything(engine)
        if upgrade_to is None:
            raise BackupError("a portable dump needs the schema made first")
        for revision in manifest["revision"] or [None]:
            upgrade_to(revision)
        _portable_load(engine, metadata, folder / "tables.jsonl")
    engine.dispose()


def _drop_everything(engine):
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            for name in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))  # names from the database's own catalogue


def _portable_load(engine, metadata, path: Path, batch: int = 500):
    tables = metadata.tables
    with engine.begin() as connection, path.open(encoding="utf-8") as lines:
        pending, current = [], None
        for line in lines:
            item = json.loads(line, object_hook=_decode)
            if item["table"] != current and pending:
                connection.execute(tables[current].insert(), pending)
                pending = []
            current = item["table"]
            pending.append(item["row"])
            if len(pending) >= batch:
                connection.execute(tables[current].insert(), pending)
                pending = []
        if pending:
            connection.execute(tables[current].insert(), pending)
        if engine.dialect.name == "postgresql":  # ids go on from the restored rows, not from 1
            for table in metadata.sorted_tables:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer):
                        # setval ignores a NULL sequence: a column without one (a plain integer key) is left be.
                        highest = func.max(column)
                        connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, column.name),
                                                              func.coalesce(highest, 1), highest.is_not(None))))
