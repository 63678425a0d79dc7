"""The `lms users` and `lms demo` commands."""
from lms.auth.models import User
from lms.orgs.models import Organisation
from tests.support import free_port


def test_users_create_and_token(app, runner, client):
    result = runner.invoke(args=["users", "create", "--email", "Tina@Example.com", "--name", "Tina Trainer",
                                 "--role", "trainer", "--role", "learner", "--password", "sensors-and-cobots"])
    assert result.exit_code == 0, result.output
    assert User.by_email("tina@example.com").roles == {"trainer", "learner"}

    token = runner.invoke(args=["users", "token", "tina@example.com"])
    assert token.exit_code == 0
    clear = token.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).get_json()["name"] == "Tina Trainer"


def test_users_create_refuses_bad_input(app, runner):
    dup = runner.invoke(args=["users", "create", "--email", "a@example.com", "--name", "A", "--password", "long-enough-pw"])
    assert dup.exit_code == 0
    again = runner.invoke(args=["users", "create", "--email", "A@example.com", "--name", "A"])
    assert again.exit_code != 0 and "already exists" in again.output
    weak = runner.invoke(args=["users", "create", "--email", "b@example.com", "--name", "B", "--password", "123"])
    assert weak.exit_code != 0 and "at least 8" in weak.output
    bad_role = runner.invoke(args=["users", "create", "--email", "c@example.com", "--name", "C", "--role", "boss"])
    assert bad_role.exit_code != 0
    assert runner.invoke(args=["users", "token", "ghost@example.com"]).exit_code != 0


def test_demo_adds_one_account_per_role_once(app, runner):
    first = runner.invoke(args=["demo", "--learners", "4"])
    assert first.exit_code == 0, first.output
    roles = set().union(*(u.roles for u in User.query.all()))
    assert {"learner", "trainer", "coordinator", "company_manager", "its_staff", "admin"} <= roles
    count = User.query.count()
    assert "admin@officina.example" in first.output and "password" in first.output
    second = runner.invoke(args=["demo", "--learners", "4"])
    assert second.exit_code == 0 and "nothing added" in second.output
    assert User.query.count() == count
    kinds = {o.kind for o in Organisation.query.all()}
    assert kinds == {"company", "its", "competence_centre"}


def test_demo_accounts_can_sign_in(app, runner, client):
    runner.invoke(args=["demo", "--learners", "1"])
    from lms.demo import DEMO_PASSWORD

    response = client.post("/login", data={"email": "its@officina.example", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.location == "/"


def test_lms_run_serves_the_app(tmp_path):
    """The console script's `run` really serves (Flask ignores app.run() inside its CLI)."""
    import os
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    port = free_port()
    lms = Path(sys.executable).with_name("lms")
    env = dict(os.environ, LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}", LMS_SECRET_KEY="x" * 32)
    subprocess.run([str(lms), "db", "upgrade"], env=env, check=True, capture_output=True)
    server = _serve(env, port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200 and b"Officina 4.0" in response.read()
    finally:
        server.terminate()
        server.wait(10)


def _serve(env, port):
    """Start `lms run --port PORT` with `env`; returns the process once it answers."""
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    lms = Path(sys.executable).with_name("lms")
    server = subprocess.Popen([str(lms), "run", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60  # a loaded machine imports slowly
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise AssertionError(f"lms run did not answer on its port: {server.communicate(timeout=10)[0]!r}")


def test_lms_run_links_follow_its_port_unless_the_base_url_is_set(tmp_path, app_factory):
    """API `url` fields (and e-mailed links, built the same way) name the port `lms run` serves on."""
    import json
    import os
    import urllib.request

    # The data is made in this process (each `lms` process costs seconds of imports); only `run` is a process.
    url = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    runner = app_factory(SQLALCHEMY_DATABASE_URI=url).test_cli_runner()
    for args in (["content", "sync"], ["users", "create", "--email", "api@example.com", "--name", "Api",
                                       "--role", "learner", "--password", "long-enough-pw"]):
        assert runner.invoke(args=args).exit_code == 0
    token = runner.invoke(args=["users", "token", "api@example.com"]).output.strip().splitlines()[-1]
    env = {k: v for k, v in os.environ.items() if k != "LMS_BASE_URL"}
    env.update(LMS_DATABASE_URL=url, LMS_SECRET_KEY="x" * 32)

    def module_urls(port, env):
        server = _serve(env, port)
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/courses/digitalization-101",
                                             headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return [m["url"] for m in json.load(response)["modules"]]
        finally:
            server.terminate()
            server.wait(10)

    port = free_port()
    urls = module_urls(port, env)
    assert urls and all(u.startswith(f"http://127.0.0.1:{port}/courses/") for u in urls)
    explicit = module_urls(free_port(), dict(env, LMS_BASE_URL="https://lms.example.org"))
    assert explicit and all(u.startswith("https://lms.example.org/courses/") for u in explicit)


def test_the_dev_base_url_names_a_reachable_host():
    from lms.commands import dev_base_url

    assert dev_base_url("127.0.0.1", 5101) == "http://127.0.0.1:5101"
    assert dev_base_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert dev_base_url("::1", 8080) == "http://[::1]:8080"


def test_mail_links_use_the_configured_base_url(app_factory):
    from lms.notify import mail

    app = app_factory(BASE_URL="http://127.0.0.1:5101")
    with app.test_request_context():
        assert mail.absolute_url("auth.login").startswith("http://127.0.0.1:5101/login")
