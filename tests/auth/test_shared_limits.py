"""Security finding 5: without LMS_REDIS_URL the rate-limit counters live in the database, so several workers
(two app instances, then a real gunicorn with two workers) share one limit instead of multiplying it."""
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from lms.auth import limit_store
from lms.extensions import db
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]

def test_without_redis_the_counters_are_in_the_database(app_factory, db_url):
    first = app_factory(SQLALCHEMY_DATABASE_URI=db_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    second = app_factory(SQLALCHEMY_DATABASE_URI=db_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    assert first.config["RATELIMIT_STORAGE_URI"] == "lmsdb://"
    data = {"email": "target@example.com", "password": "x"}
    assert first.test_client().post("/login", data=data).status_code == 200
    assert second.test_client().post("/login", data=data, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200
    assert second.test_client().post("/login", data=data, environ_base={"REMOTE_ADDR": "10.9.9.8"}).status_code == 429
    with first.app_context():
        db.drop_all()


def test_the_database_store_counts_in_fixed_windows(app, monkeypatch):
    store = limit_store.DatabaseStorage()
    clock = [1000.0]
    monkeypatch.setattr(limit_store.time, "time", lambda: clock[0])
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert store.get("k") == 3 and store.get_expiry("k") == 1060.0
    clock[0] = 1061.0  # the window ended: a new one starts
    assert store.get("k") == 0 and store.incr("k", 60) == 1 and store.get_expiry("k") == 1121.0
    long_key = "login:" + "x" * 5000
    assert store.incr(long_key, 60) == 1 and store.incr(long_key, 60) == 2
    store.clear("k")
    assert store.get("k") == 0 and store.check()


def test_two_gunicorn_workers_without_redis_give_the_429_on_the_11th_try(tmp_path):
    """The default limit (10 a minute) holds against a real server with two workers and no LMS_REDIS_URL."""
    port = free_port()
    env = {**os.environ, "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'limits.sqlite3'}",
           "LMS_SECRET_KEY": "limits-secret", "LMS_BASE_URL": f"http://127.0.0.1:{port}",
           "PYTHONPATH": str(ROOT)}  # this tree's lms, whichever checkout the virtualenv was installed from
    env.pop("LMS_REDIS_URL", None)
    subprocess.run([str(ROOT / ".venv" / "bin" / "lms"), "db", "upgrade"], env=env, check=True, capture_output=True,
                   cwd=tmp_path)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--graceful-timeout", "5", "--bind",
                               f"127.0.0.1:{port}", "--log-level", "warning", "lms:create_app()"],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine (CI, several test runs) boots the workers slowly
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not start in 120 s"
                time.sleep(0.2)
        statuses = []
        for i in range(11):  # a new connection each time: the two workers share the requests
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            page = opener.open(base + "/login", timeout=60).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode({"csrf_token": token, "email": "target@example.com",
                                           "password": f"guess-{i}"}).encode()
            try:
                statuses.append(opener.open(base + "/login", data=body, timeout=60).status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
        assert statuses == [200] * 10 + [429], statuses
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
