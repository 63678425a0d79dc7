"""The labs blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("labs", __name__, url_prefix="/labs")
