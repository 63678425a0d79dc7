"""`/healthz` (the process answers) and `/readyz` (the database answers and its schema is at the code's
migration head), for the proxy's upstream checks and an orchestrator. No login, no cookie, no rate limit."""
import logging
from functools import cache

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.config import PROJECT_ROOT
from lms.extensions import db, limiter

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


@cache
def migration_heads(directory: str = str(PROJECT_ROOT / "migrations")) -> frozenset[str]:
    """The head revisions of the migration scripts: they do not change while the process runs."""
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def readiness(engine) -> str | None:
    """None when the database answers and is at the migration head, else the reason (for the operator)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        log.warning("readiness: the database does not answer: %s", exc.__class__.__name__)
        return "database unavailable"
    heads = migration_heads()
    if current != heads:
        log.warning("readiness: schema at %s, code at %s", sorted(current) or "nothing", sorted(heads))
        return "database schema is not at the migration head (run lms db upgrade)"
    return None


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
@limiter.exempt
def readyz():
    reason = readiness(db.engine)
    if reason:
        return _answer({"status": "unavailable", "reason": reason}, 503)
    return _answer({"status": "ok"}, 200)
