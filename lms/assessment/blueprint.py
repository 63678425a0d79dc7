"""The assessment blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/assessment")
