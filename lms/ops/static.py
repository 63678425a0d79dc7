"""Static file URLs carry a hash of the file (`/static/css/app.css?v=3f2a…`), so the proxy may let browsers
keep them for a year (deploy/nginx/officina.conf) and an upgrade still reaches every browser at once."""
import hashlib
from functools import cache
from pathlib import Path


def file_version(folder: str, filename: str) -> str | None:
    """A short hash of the file's bytes; None for a file that is not there (the URL stays as it was)."""
    path = Path(folder, filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return _hash(path, path.stat().st_mtime_ns)  # an edited file (during development) gets a new hash


@cache
def _hash(path: Path, _mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def init_app(app):
    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint != "static" and not endpoint.endswith(".static"):
            return
        blueprint = app.blueprints.get(endpoint.rpartition(".")[0]) if "." in endpoint else app
        folder = getattr(blueprint, "static_folder", None)
        filename = values.get("filename")
        if folder and filename and "v" not in values:
            version = file_version(folder, filename)
            if version:
                values["v"] = version
