"""Helpers the fixtures in tests/conftest.py are made of, for tests that run real servers: a free port, a real
SMTP server that keeps what it receives, and a fresh PostgreSQL database; and the tests' fixed NOW. Plain functions and context
managers, so that a test needing a variant (a slow SMTP server) makes one without copying."""
import asyncio
import email
import json
import os
import socket
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from email import policy

import pytest

# The fixed "now" of the tests that pass a clock (rules take `now`; only the clock is faked).
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PG_ADMIN_URL = os.environ.get("LMS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    """A loopback TCP port nobody listens on (the OS picks it; free again once this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """What the SMTP server received: `envelopes` as sent (aiosmtpd's), `messages` parsed, in arrival order."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.port = 0
        self.envelopes = []
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@contextmanager
def running_smtp_sink(delay: float = 0.0):
    """A real SMTP server (aiosmtpd) on a free loopback port, `delay` seconds per message; yields its SmtpSink."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        controller.stop()


def postgres_admin():
    """An autocommit connection to the PostgreSQL server; the test is skipped if there is none (fails in CI)."""
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not reachable: {exc}")


@contextmanager
def fresh_postgres_database(prefix: str = "lms_test"):
    """A new, empty PostgreSQL database; yields its SQLAlchemy URL and drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = postgres_admin()
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_ADMIN_URL.rsplit('/', 1)[0].split('://', 1)[1]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def call_api(base, method, path, token, body=None, timeout=120):
    """One JSON API request to a running server with a bearer token: (status, decoded body), errors included."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
