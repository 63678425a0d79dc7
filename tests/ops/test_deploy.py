"""The example deployment in deploy/ is real: systemd accepts the units, the environment file names every
setting, and nginx with the site file, in front of gunicorn started with the unit's own command line, serves
static files with long caching, proxies pages with the client's address and scheme, and checks /healthz."""
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lms import config as lms_config
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent


def _need(tool):
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is needed (apt-get install {tool})")
        pytest.skip(f"{tool} is not installed")
    return path


def _exec_start(unit: str) -> list[str]:
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    return shlex.split(re.search(r"^ExecStart=(.*)$", text, re.M).group(1))


def _env_names() -> dict[str, str]:
    """The environment file's LMS_* names, with their values as /bin/sh reads them (set or commented)."""
    names = re.findall(r"^#?(LMS_[A-Z_]+)=", (DEPLOY / "officina.env.example").read_text(), re.M)
    return dict.fromkeys(names)


def test_the_environment_file_names_every_setting_and_nothing_else():
    from tests.ops.test_settings_documented import settings_read_by_code

    assert set(_env_names()) == settings_read_by_code()  # config._ENV and LMS_INSTANCE_PATH


def test_the_readme_table_names_every_setting():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Settings"):]
    table = table[:table.index("\n## ")]
    named = set(re.findall(r"`([A-Z][A-Z_]+)`", table))
    expected = {f"LMS_{name}" for name in lms_config._ENV}
    expected |= {key for key in lms_config.DEFAULTS if key not in {target for target, _c in lms_config._ENV.values()}}
    expected |= {"UPLOAD_DIR", "OUTBOX_DIR", "PENDING_DIR"}  # set from the instance folder in config.load
    assert expected - named == set()


def test_the_environment_file_reads_the_same_in_a_shell():
    shown = subprocess.run(["sh", "-c", "set -a; . ./officina.env.example; env"], cwd=DEPLOY, capture_output=True,
                           text=True, check=True, env={"PATH": os.environ["PATH"]}).stdout
    values = dict(line.split("=", 1) for line in shown.splitlines() if line.startswith("LMS_"))
    assert values["LMS_MAIL_FROM"] == "Officina 4.0 <no-reply@lms.example.org>"
    assert values["LMS_PROXY_FIX"] == "1" and values["LMS_LOG_FORMAT"] == "json"
    assert values["LMS_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_systemd_accepts_the_units(tmp_path):
    analyze = _need("systemd-analyze")
    for unit in ("officina-web.service", "officina-scheduler.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        text = text.replace("/opt/officina/.venv/bin", str(VENV_BIN)).replace("/opt/officina", str(ROOT))
        text = text.replace("/etc/officina/officina.env", str(DEPLOY / "officina.env.example"))
        (tmp_path / unit).write_text(text)
    result = subprocess.run([analyze, "verify", *map(str, tmp_path.glob("*.service"))], capture_output=True, text=True)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if "officina" in line and "User" not in line]  # no officina user on a test machine
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


def test_the_units_run_gunicorn_with_several_workers_and_the_scheduler_on_its_own():
    web = _exec_start("officina-web.service")
    assert web[0].endswith("/gunicorn") and web[-1] == "lms:create_app()"
    assert int(web[web.index("--workers") + 1]) >= 2
    assert _exec_start("officina-scheduler.service") == ["/opt/officina/.venv/bin/lms", "scheduler"]


def test_nginx_refuses_what_the_app_would_refuse():
    size = re.search(r"client_max_body_size (\d+)m;", (DEPLOY / "nginx" / "officina.conf").read_text()).group(1)
    assert int(size) * 1024 * 1024 == lms_config.DEFAULTS["MAX_CONTENT_LENGTH"]


def test_static_urls_carry_a_content_hash(app, client):
    html = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]{12}))"', html)
    assert css, "the layout's stylesheet has no version"
    assert re.search(r'/bootstrap/static/[^"]+\?v=[0-9a-f]{12}"', html)
    # The hash is the file's: an upgrade that changes it changes the URL.
    import hashlib
    assert css.group(2) == hashlib.sha256((ROOT / "lms/static/css/app.css").read_bytes()).hexdigest()[:12]


def _https(url, headers=None):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # a self-signed test certificate
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=context, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def deployed(tmp_path):
    """gunicorn as the unit starts it and nginx with the site file, on free ports, in tmp_path."""
    nginx = _need("nginx")
    openssl = _need("openssl")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    site = (DEPLOY / "nginx" / "officina.conf").read_text()
    bootstrap_static = Path(__import__("flask_bootstrap").__file__).parent / "static" / "bootstrap5"
    for old, new in [
        ("127.0.0.1:8000", f"127.0.0.1:{app_port}"), ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/letsencrypt/live/lms.example.org/fullchain.pem", str(tmp_path / "cert.pem")),
        ("/etc/letsencrypt/live/lms.example.org/privkey.pem", str(tmp_path / "key.pem")),
        ("/var/log/nginx/", str(tmp_path) + "/"),
        ("/opt/officina/.venv/lib/python3.11/site-packages/flask_bootstrap/static/bootstrap5/", f"{bootstrap_static}/"),
        ("/opt/officina/", f"{ROOT}/"),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"^\s*listen \[::\].*$", "", site, flags=re.M)  # no IPv6 needed, nor always available
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    access_log off;
    include {tmp_path}/site.conf;
}}
""")
    checked = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    env = {**os.environ, "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}", "LMS_SECRET_KEY": "d" * 32,
           "LMS_PROXY_FIX": "1", "LMS_LOG_FORMAT": "json", "LMS_BASE_URL": "https://lms.example.org"}
    subprocess.run([str(VENV_BIN / "lms"), "db", "upgrade"], env=env, check=True, capture_output=True, cwd=tmp_path)
    command = _exec_start("officina-web.service")
    command[0] = str(VENV_BIN / "gunicorn")
    command[command.index("--bind") + 1] = f"127.0.0.1:{app_port}"
    command[command.index("--workers") + 1] = "2"  # two cores shared by the test run
    app_log = open(tmp_path / "app.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=app_log, stderr=subprocess.STDOUT)
    proxy = subprocess.Popen([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"],
                             stderr=subprocess.PIPE)
    base = f"https://127.0.0.1:{https_port}"
    try:
        deadline = time.monotonic() + 180  # workers import the app: slow on a busy machine
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if _https(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield base, f"http://127.0.0.1:{http_port}", tmp_path / "app.log", tmp_path / "officina.access.log"
    finally:
        proxy.terminate()
        server.terminate()
        proxy.wait(timeout=20)
        server.wait(timeout=40)
        app_log.close()


def test_nginx_and_gunicorn_as_deployed(deployed):
    import json

    base, plain, app_log, nginx_log = deployed
    status, headers, body = _https(base + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _headers, body = _https(base + "/readyz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})

    # A page through the proxy: the app sees the scheme (secure cookies, HSTS) and nginx's request id.
    status, headers, body = _https(base + "/login", headers={"X-Forwarded-For": "6.6.6.6"})
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in headers["Set-Cookie"]
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    # Both write their line once the response is out: wait for them.
    assert _eventually(lambda: f"rid={request_id}" in nginx_log.read_text())
    assert _eventually(lambda: request_id in app_log.read_text())
    lines = [json.loads(line) for line in app_log.read_text().splitlines() if line.startswith("{")]
    access = next(line for line in lines if line.get("request_id") == request_id)
    # One proxy is trusted: the address nginx saw (the test's own), not the one the client claimed.
    assert (access["path"], access["status"], access["remote_addr"]) == ("/login", 200, "127.0.0.1")

    # Static files come from nginx, with a year of caching when the URL carries the file's hash.
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', body.decode()).group(1)
    status, headers, _body = _https(base + css)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Security-Policy" not in headers  # nginx's answer, not the app's
    bootstrap = re.search(r'(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]+)"', body.decode()).group(1)
    assert _https(base + bootstrap)[0] == 200
    assert _https(base + "/static/css/app.css")[1]["Cache-Control"] == "public, max-age=86400"
    assert not any(line.get("path", "").startswith("/static/") for line in lines)

    # Plain http is sent to https; a body over the app's limit is refused by nginx.
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(_NoRedirect).open(plain + "/login", timeout=10)
    assert redirect.value.code == 301 and redirect.value.headers["Location"].startswith("https://")
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    big = urllib.request.Request(base + "/login", data=b"x" * (17 * 1024 * 1024), method="POST")
    with pytest.raises(urllib.error.HTTPError) as too_big:
        urllib.request.urlopen(big, context=context, timeout=30)
    assert too_big.value.code == 413


def _eventually(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
