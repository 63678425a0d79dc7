"""Static file URLs carry a hash of the file (`/static/css/app.css?v=3f2a…`), so browsers may keep them for a
year without asking again (immutable), and an upgrade still reaches every browser at once: its pages name new
hashes. The app says so itself (when gunicorn serves the files) and so does the proxy (deploy/nginx/officina.conf)."""
import hashlib
from functools import cache
from pathlib import Path

from flask import request

IMMUTABLE = "public, max-age=31536000, immutable"


def file_version(folder: str, filename: str) -> str | None:
    """A short hash of the file's bytes; None for a file that is not there (the URL stays as it was)."""
    path = Path(folder, filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return _hash(path, path.stat().st_mtime_ns)  # an edited file (during development) gets a new hash


@cache
def _hash(path: Path, _mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _static_folder(app, endpoint: str | None) -> str | None:
    """The folder a static endpoint serves (the app's or a blueprint's); None for any other endpoint."""
    if not endpoint or (endpoint != "static" and not endpoint.endswith(".static")):
        return None
    owner = app.blueprints.get(endpoint.rpartition(".")[0]) if "." in endpoint else app
    return getattr(owner, "static_folder", None)


@cache
def _deployed_version(folder: str, filename: str) -> str | None:
    """file_version once per file and process: a deployed file changes only with a restart (see init_app)."""
    return file_version(folder, filename)


def init_app(app):
    # A page names about ten static files; resolving and stat-ing each on every request was a tenth of the
    # module page's time. Outside debug mode the hash is worked out once per process; in debug mode (files
    # edited while the server runs) every request checks the file's modification time, as before.
    version_of = file_version if app.debug else _deployed_version

    @app.url_defaults
    def static_version(endpoint, values):
        folder = _static_folder(app, endpoint)
        filename = values.get("filename")
        if folder and filename and "v" not in values:
            version = version_of(folder, filename)
            if version:
                values["v"] = version

    @app.after_request
    def immutable_when_fingerprinted(response):
        # Only a URL whose ?v= is the hash of the bytes served is immutable: an old or made-up hash gets the
        # file's ordinary caching, so that a browser never keeps the wrong bytes for a year.
        folder = _static_folder(app, request.endpoint)
        version = request.args.get("v")
        if folder and version and response.status_code in (200, 304) and request.view_args:
            if version == version_of(folder, request.view_args.get("filename", "")):
                response.headers["Cache-Control"] = IMMUTABLE
                response.headers.pop("Expires", None)  # Cache-Control says it; an old Expires would contradict
        return response
