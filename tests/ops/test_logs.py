"""Request ids and structured logs: an id per request (a sane incoming one kept, anything else replaced),
echoed in X-Request-ID and carried by every line logged during the request; JSON lines on request; one
access line per request with method, path, status, duration and user."""
import io
import json
import logging

import pytest
from flask import current_app

from lms.ops import logs


@pytest.fixture
def captured(app):
    """The log output of `app`'s requests, as the handler create_app installed would write it."""
    def use(log_format):
        stream = io.StringIO()
        logs.configure(log_format, "INFO", stream=stream)
        return stream

    yield use
    logs.configure("text", "INFO")


@pytest.fixture
def noisy_view(app):
    @app.get("/test-logs")
    def log_something():
        current_app.logger.warning("inside the view")
        logging.getLogger("some.library").error("a library speaks")
        return "ok"


def _json_lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_the_incoming_request_id(app, client, captured, noisy_view):
    stream = captured("json")
    response = client.get("/test-logs?x=1", headers={"X-Request-ID": "abc-123.def"})
    assert response.headers["X-Request-ID"] == "abc-123.def"
    lines = _json_lines(stream)
    assert [(line["logger"], line["message"]) for line in lines[:2]] == [
        ("lms", "inside the view"), ("some.library", "a library speaks")]
    assert {line["request_id"] for line in lines} == {"abc-123.def"}
    access = lines[-1]
    assert access["logger"] == "lms.access"
    assert (access["method"], access["path"], access["status"], access["user_id"]) == ("GET", "/test-logs", 200, None)
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0


@pytest.mark.parametrize("header", ["", "has space", "x" * 200, "new\nline", "quote\"d", "ünïcode", "-leading"])
def test_an_insane_incoming_id_is_replaced(app, client, captured, header):
    stream = captured("json")
    # Through the WSGI environ: the test client itself refuses to send a newline in a header.
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": header})
    request_id = response.headers["X-Request-ID"]
    assert request_id != header and len(request_id) == 32 and request_id.isalnum()
    assert _json_lines(stream)[-1]["request_id"] == request_id


def test_each_request_gets_its_own_id(client, captured):
    captured("json")
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_text_lines_and_the_signed_in_user(app, client, captured, create_user, login):
    user = create_user()
    login()
    stream = captured("text")
    response = client.get("/settings")
    assert response.status_code == 200
    line = stream.getvalue().splitlines()[-1]
    assert f"[{response.headers['X-Request-ID']}]" in line
    assert f"INFO lms.access [{response.headers['X-Request-ID']}] GET /settings 200 " in line
    assert line.endswith(f"ms user={user.id}")


def test_api_requests_log_the_token_owner(app, client, captured, create_user):
    from lms.auth import accounts
    from lms.extensions import db

    user = create_user()
    _row, token = accounts.create_api_token(user, "logs")
    db.session.commit()
    stream = captured("json")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert _json_lines(stream)[-1]["user_id"] == user.id
    assert token not in stream.getvalue()


def test_secret_tokens_in_paths_are_not_logged(client, captured):
    stream = captured("json")
    client.get("/password/reset/s3cret-reset-token")
    client.get("/labs/feed/s3cret-feed-token.ics")
    text = stream.getvalue()
    assert "s3cret" not in text
    assert [line["path"] for line in _json_lines(stream) if line["logger"] == "lms.access"] == [
        "/password/reset/[redacted]", "/labs/feed/[redacted].ics"]


def test_an_unhandled_error_is_logged_with_the_id(app, captured):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("boom")

    stream = captured("json")
    response = app.test_client().get("/test-boom", headers={"X-Request-ID": "req-boom"})
    assert response.status_code == 500
    lines = _json_lines(stream)
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["request_id"] == "req-boom" and "RuntimeError: boom" in error["exception"]
    assert lines[-1]["status"] == 500 and lines[-1]["request_id"] == "req-boom"


def test_log_format_comes_from_the_environment(monkeypatch, tmp_path):
    from lms import create_app

    monkeypatch.setenv("LMS_LOG_FORMAT", "json")
    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("LMS_SECRET_KEY", "x" * 32)
    try:
        app = create_app()
        assert app.config["LOG_FORMAT"] == "json"
        handler = next(h for h in logging.getLogger().handlers if getattr(h, "lms_handler", False))
        assert isinstance(handler.formatter, logs.JsonFormatter)
    finally:
        logs.configure("text", "INFO")


def test_access_lines_follow_the_access_loggers_level_and_the_id_is_sent_either_way(client, captured):
    stream = captured("json")
    client.get("/healthz")
    line = _json_lines(stream)[-1]
    assert (line["logger"], line["level"], line["message"].split()[:3]) == ("lms.access", "INFO", ["GET", "/healthz", "200"])
    logging.getLogger("lms.access").setLevel(logging.WARNING)
    try:
        quiet = client.get("/healthz")
    finally:
        logging.getLogger("lms.access").setLevel(logging.NOTSET)
    assert len(quiet.headers["X-Request-ID"]) == 32
    assert len(_json_lines(stream)) == 1  # no second access line
