"""The progress blueprint, made once here; the view modules add their routes and init_app imports them."""
from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress")
