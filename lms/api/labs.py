"""API v1: labs, lab sessions and bookings (contract in DESIGN.md). Thin: parse, call a labs rule, answer."""
from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import func, select

from lms.api import paths
from lms.api.auth import paginate_args, token_required
from lms.api.body import json_object
from lms.api.serializers import iso, page_dict
from lms.api.views import bp
from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import json_error
from lms.labs import access
from lms.labs import booking as rules
from lms.labs import sessions as session_rules
from lms.labs.errors import LabError
from lms.labs.models import Booking, Lab, LabSession
from lms.labs.times import parse_iso

ERROR_CODES = {400: "bad_request", 403: "forbidden", 409: "conflict"}


def _url(endpoint, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _body() -> dict:
    """The JSON object sent ({} for none); broken JSON or not an object is a 400 invalid_json (lms.api.body)."""
    return json_object()


def _stored():
    """Send the changes to the database and forget what was loaded, so that the answer shows the rows as stored
    (the booking rules change counts and statuses with conditional UPDATEs); the request commits them."""
    db.session.flush()
    db.session.expire_all()


@bp.errorhandler(LabError)
def _refused(exc: LabError):
    """A labs rule refused the request: its message, as a 400, 403 or 409 (an error status: the unit of work
    rolls the request back)."""
    return json_error(exc.status, ERROR_CODES[exc.status], str(exc))


def lab_dict(lab: Lab) -> dict:
    return {"id": lab.id, "slug": lab.slug, "name": lab.name, "venue": lab.venue, "address": lab.address,
            "seats": lab.seats, "equipment": list(lab.equipment or []), "accessibility": lab.accessibility,
            "fee": lab.fee, "languages": list(lab.languages or []), "coordinator_email": lab.coordinator_email,
            # The texts in other languages (labs/<lang>/<slug>.md), field by field, as the pages show them.
            "translations": {language: dict(fields) for language, fields in (lab.translations or {}).items()},
            "url": _url("labs.lab", slug=lab.slug)}


def booking_dict(booking: Booking) -> dict:
    return {"id": booking.id, "session_id": booking.session_id, "status": booking.status,
            "position": booking.position, "user_email": booking.user.email,
            "booked_by_email": booking.booked_by.email if booking.booked_by else None,
            "created_at": iso(booking.created_at), "cancelled_at": iso(booking.cancelled_at)}


def session_dict(session: LabSession, with_bookings: bool = False) -> dict:
    data = {
        "id": session.id, "title": session.title, "topic": session.topic, "description": session.description,
        "lab": session.lab.slug if session.lab else None,
        "trainer_email": session.trainer.email if session.trainer else None,
        "starts_at": iso(session.starts_at), "ends_at": iso(session.ends_at), "capacity": session.capacity,
        "seats_taken": session.confirmed_count, "seats_left": session.seats_left,
        "waitlist_length": len(session.waitlist), "who_may_book": session.audience,
        "booking_opens_at": iso(session.booking_opens_at), "booking_closes_at": iso(session.cutoff),
        "series_id": session.series_id, "cancelled": session.is_cancelled,
        "url": _url("labs.session", session_id=session.id),
    }
    if with_bookings:
        data["bookings"] = [booking_dict(b) for b in session.bookings]
    return data


@bp.get("/labs")
@token_required
def labs():
    page, per_page = paginate_args()
    query = select(Lab).where(Lab.archived_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Lab.name).limit(per_page).offset((page - 1) * per_page))
    return jsonify(page_dict([lab_dict(lab) for lab in rows], total, page, per_page))


@bp.get("/lab-sessions")
@token_required
def lab_sessions():
    page, per_page = paginate_args()
    query = select(LabSession)
    # An unencoded "+01:00" arrives as " 01:00": read it as the offset it was meant to be.
    if request.args.get("from"):
        query = query.where(LabSession.ends_at > parse_iso(request.args["from"].replace(" ", "+"), "from"))
    if request.args.get("to"):
        query = query.where(LabSession.starts_at < parse_iso(request.args["to"].replace(" ", "+"), "to"))
    if request.args.get("lab"):
        query = query.join(Lab).where(Lab.slug == request.args["lab"][:100])
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(LabSession.starts_at, LabSession.id)
                              .limit(per_page).offset((page - 1) * per_page))
    return jsonify(page_dict([session_dict(s) for s in rows], total, page, per_page))


def _details(body: dict, base: session_rules.SessionDetails | None = None) -> session_rules.SessionDetails:
    """SessionDetails from a POST or PATCH body; PATCH starts from the session's values."""
    values = dict(base.__dict__) if base else {"audience": "signed_in", "lab": None, "trainer": None}
    for name in ("title", "topic", "description"):
        if name in body:
            if not isinstance(body[name], str):
                raise LabError(f"{name} must be a string.", field=name)
            values[name] = body[name]
    for name in ("starts_at", "ends_at"):
        if name in body:
            values[name] = parse_iso(body[name], name)
        elif base is None:
            raise LabError(f"{name} is required.", field=name)
    if "booking_closes_at" in body:
        values["closes_at"] = body["booking_closes_at"] and parse_iso(body["booking_closes_at"], "booking_closes_at")
    if "booking_opens_at" in body:
        values["opens_at"] = body["booking_opens_at"] and parse_iso(body["booking_opens_at"], "booking_opens_at")
    if "capacity" in body:
        values["capacity"] = body["capacity"]
    elif base is None:
        raise LabError("capacity is required.", field="capacity")
    if body.get("lab") is not None:
        lab = db.session.scalar(select(Lab).where(Lab.slug == str(body["lab"])[:100], Lab.archived_at.is_(None)))
        if lab is None:
            raise LabError("No lab has this slug.", field="lab")
        values["lab"] = lab
    if "trainer_email" in body:
        trainer = User.by_email(str(body["trainer_email"])[:254]) if body["trainer_email"] else None
        if body["trainer_email"] and trainer is None:
            raise LabError("No account has this trainer e-mail address.", field="trainer_email")
        values["trainer"] = trainer
    values.setdefault("title", "")
    return session_rules.SessionDetails(**values)


@bp.post("/lab-sessions")
@token_required
def create_lab_session():
    """Create a session (coordinator). 201 with the session."""
    user = g.api_user
    if not (user.is_admin or user.has_role("coordinator")):
        return json_error(403, "forbidden", "Only lab coordinators create sessions.")
    [session] = session_rules.create_sessions(_details(_body()), by=user, now=utcnow())
    _stored()
    return jsonify(session_dict(session)), 201


@bp.get("/lab-sessions/<int:session_id>")
@token_required
def lab_session(session_id):
    session = access.get_session_or_404(session_id, g.api_user)
    return jsonify(session_dict(session, with_bookings=access.can_manage_session(g.api_user, session)))


@bp.patch("/lab-sessions/<int:session_id>")
@token_required
def update_lab_session(session_id):
    """Move, resize, edit or cancel (`{"cancelled": true}`) a session its coordinator manages."""
    session = access.get_session_or_404(session_id, g.api_user, manage=True)
    now = utcnow()
    body = _body()
    if body.get("cancelled") is True:
        session_rules.cancel_session(session, by=g.api_user, now=now)
    else:
        moved = body.get("move_to_waitlist") or []
        if not isinstance(moved, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in moved):
            raise LabError("move_to_waitlist must be a list of booking ids.", field="move_to_waitlist")
        details = _details(body, session_rules.session_details(session))
        session_rules.update_session(session, details, by=g.api_user, now=now, move_to_waitlist=moved)
    _stored()
    return jsonify(session_dict(session, with_bookings=True))


@bp.post("/lab-sessions/<int:session_id>/bookings")
@token_required
def book(session_id):
    """Book the caller, or `user_email` (a coordinator or company manager booking for someone)."""
    session = access.get_session_or_404(session_id, g.api_user)
    body = _body()
    person = g.api_user
    if body.get("user_email"):
        person = rules.person_to_book(g.api_user, session, email=str(body["user_email"]))
        if person is None:  # said only to the session's coordinator; others hear NOT_YOURS either way
            return json_error(404, "not_found", "No account has this e-mail address.")
    booking = rules.book_seat(session, person, by=g.api_user, now=utcnow())
    _stored()
    return jsonify(booking_dict(booking)), 201


@bp.delete("/bookings/<int:booking_id>")
@token_required
def cancel(booking_id):
    booking = access.get_booking_or_404(booking_id, g.api_user)
    rules.cancel_booking(booking, by=g.api_user, now=utcnow())
    _stored()
    return jsonify(booking_dict(booking))


@bp.get("/me/bookings")
@token_required
def my_bookings():
    page, per_page = paginate_args()
    query = select(Booking).join(LabSession).where(Booking.user_id == g.api_user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(LabSession.starts_at.desc(), Booking.id.desc())
                              .limit(per_page).offset((page - 1) * per_page))
    items = []
    for b in rows:
        item = booking_dict(b)
        item["session"] = session_dict(b.session)
        items.append(item)
    return jsonify(page_dict(items, total, page, per_page))


def _openapi(doc_paths, unauthorized):
    def ok(description, ref):
        return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}

    def error(description):
        return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

    paging = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
              {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}]
    ident = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    session_body = {"type": "object", "properties": {
        "title": {"type": "string"}, "topic": {"type": "string"}, "description": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
        "capacity": {"type": "integer", "minimum": 1}, "lab": {"type": "string"}, "trainer_email": {"type": "string"},
        "booking_opens_at": {"type": ["string", "null"], "format": "date-time"},
        "booking_closes_at": {"type": ["string", "null"], "format": "date-time"}}}
    patch_body = {"type": "object", "properties": {
        **session_body["properties"], "cancelled": {"type": "boolean"},
        "move_to_waitlist": {"type": "array", "items": {"type": "integer"},
                             "description": "Confirmed bookings moved back to the waitlist when seats go down"}}}
    doc_paths["/labs"] = {"get": {"summary": "Demo labs", "parameters": paging, "responses": {
        "200": ok("A page of labs", "#/components/schemas/LabList"), "401": unauthorized}}}
    doc_paths["/lab-sessions"] = {
        "get": {"summary": "Lab sessions overlapping [from, to)", "parameters": paging + [
            {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "lab", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": ok("A page of sessions", "#/components/schemas/LabSessionList"),
                          "400": error("A bad from/to"), "401": unauthorized}},
        "post": {"summary": "Create a session (coordinator)",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     **session_body, "required": ["title", "starts_at", "ends_at", "capacity"]}}}},
                 "responses": {"201": ok("The session", "#/components/schemas/LabSession"),
                               "400": error("Invalid details (end before start, seats ≤ 0, past, bad JSON)"),
                               "401": unauthorized, "403": error("Not a coordinator of the lab"),
                               "409": error("The lab or the trainer is busy at that time")}}}
    doc_paths["/lab-sessions/{id}"] = {
        "get": {"summary": "A session (with its bookings for its coordinator)", "parameters": ident,
                "responses": {"200": ok("The session", "#/components/schemas/LabSession"), "401": unauthorized,
                              "404": error("No such session")}},
        "patch": {"summary": "Move, resize, edit or cancel a session (its coordinator)", "parameters": ident,
                  "requestBody": {"required": True, "content": {"application/json": {"schema": patch_body}}},
                  "responses": {"200": ok("The session", "#/components/schemas/LabSession"),
                                "400": error("Invalid details"), "401": unauthorized,
                                "403": error("Not the session's coordinator"), "404": error("No such session"),
                                "409": error("Cancelled or over, a clash, or seats below those taken")}}}
    doc_paths["/lab-sessions/{id}/bookings"] = {"post": {
        "summary": "Book a seat (or a waitlist place) for the caller or {user_email}", "parameters": ident,
        "requestBody": {"required": False, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"user_email": {"type": "string"}}}}}},
        "responses": {"201": ok("Booked: status confirmed or waitlisted with position", "#/components/schemas/Booking"),
                      "400": error("Bad JSON"), "401": unauthorized,
                      "403": error("Not allowed to book this session or for this person"),
                      "404": error("No such session or person"),
                      "409": error("Already booked, cancelled, started or closed")}}}
    doc_paths["/bookings/{id}"] = {"delete": {
        "summary": "Cancel a booking (until the cut-off); the first on the waitlist is promoted", "parameters": ident,
        "responses": {"200": ok("The cancelled booking", "#/components/schemas/Booking"), "401": unauthorized,
                      "404": error("No such booking, or someone else's"),
                      "409": error("Already cancelled, or past the cut-off")}}}
    doc_paths["/me/bookings"] = {"get": {"summary": "The caller's bookings, latest session first",
                                         "parameters": paging,
                                         "responses": {"200": ok("A page of bookings", "#/components/schemas/BookingList"),
                                                       "401": unauthorized}}}


paths.REGISTRY.append(_openapi)
