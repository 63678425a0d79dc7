"""Public pages: the labs index, a lab, the sessions calendar and list, a session."""
from lms.labs import bp


@bp.get("/sessions/<int:session_id>")
def session(session_id):
    return ""
