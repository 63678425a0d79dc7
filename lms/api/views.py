from flask import Blueprint, g, jsonify

from lms.api.auth import token_required
from lms.api.openapi import openapi_document
from lms.api.serializers import user_dict

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/me")
@token_required
def me():
    return jsonify(user_dict(g.api_user))
