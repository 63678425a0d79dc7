"""Officina 4.0: a training platform for Industry 4.0 skills."""
import os

from flask import Flask

from lms import commands, config, content, http, i18n, ids, pagecache, render, templating, unit_of_work
from lms.auth import limit_store
from lms.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from lms.warmup import warm_up


def create_app(test_config=None):
    """Build the application. `test_config` replaces instance/config.py and the LMS_* environment."""
    # LMS_INSTANCE_PATH moves the instance folder (config.py, secret key, SQLite, outbox): benchmarks and
    # throw-away servers run in a temporary one.
    app = Flask(__name__, instance_path=os.environ.get("LMS_INSTANCE_PATH") or None, instance_relative_config=True)
    config.load(app, test_config)
    ids.init_app(app)  # before any route is added: every <int:> id is checked against the database's range

    db.init_app(app)
    unit_of_work.init_app(app)  # one commit per request, at its end: see lms/unit_of_work.py
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    bootstrap.init_app(app)
    # Without Redis the counters live in the database, so that every worker on every host shares them.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or limit_store.STORAGE_URI)
    limiter.init_app(app)

    from lms import api, assessment, auth, courses, labs, main, notify, ops, orgs, profiles, progress, quizzes

    for feature in (main, auth, orgs, courses, labs, quizzes, profiles, assessment, progress, notify, api, ops):
        feature.init_app(app)
    content.init_app(app)  # after the features: the CLI has an option for each folder their loaders read

    http.init_app(app)
    commands.init_app(app)
    i18n.init_app(app)
    render.init_app(app)
    templating.init_app(app)  # after Flask-Babel: faster template translations
    pagecache.init_app(app)  # last: its before_request runs after the others, its after_request first
    warm_up(app)  # after every filter is registered: compiles the quiz pages' templates
    return app
