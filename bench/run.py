#!/usr/bin/env python3
"""`make bench`: the pages people use most, next to a minimal Flask page, on SQLite and on PostgreSQL.

For each database: a temporary instance folder (and, for PostgreSQL, a fresh database, dropped at the end)
is filled through the app's own commands (`lms db upgrade`, `lms content sync`, `lms demo`); the project and
bench/fortunes.py are served by gunicorn with the same settings (2 workers, loopback); a demo learner signs
in; `wrk -t2 -c16` measures each page, and the minimal page before and after them. Prints requests/s,
p50/p99 and the ratio to the minimal page of the same run (the reading pages as served, which the page cache keeps
per person, and the module page and My learning as built on a first view, from a third server with
LMS_PAGE_CACHE=false); on PostgreSQL also the class-starts-a-timed-quiz
scenario (bench/quiz_start.py), three classes one after the other. It prints numbers and never fails on them: the machines are noisy.

Besides the reading pages (issue 13) it measures, in the same run and against the same minimal page: the ITS
coordinator's dashboard, report (whole and one cohort), API progress and xAPI statements (100 a page) for a
foundation of --its-learners learners (the demo gets twice as many),
the maturity result page of the demo company's manager, and a lab session's page while a class races to book
seats in it (bench/booking_race.py, waves of simultaneous bookings for the whole wrk run; afterwards the
database is checked for overbooking).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = os.environ.get("LMS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "officina-demo-2026"
LEARNER = "learner05@officina.example"  # enrolled by `lms demo` in Digitalization 101, two modules done
COURSE = "digitalization-101"
WORKERS = 2
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

# (label, path, how the client is signed in: "session" cookie or API "token", target ratio)
PAGES = [
    ("module page", "/courses/{course}/{module}", "session", 0.30),
    ("course page", "/courses/{course}", "session", 0.30),
    ("catalogue", "/courses/", "session", 0.30),
    ("catalogue search", "/courses/?q=digital+twin", "session", 0.30),
    ("my learning", "/progress/me", "session", 0.30),  # the page "My learning" links to
    ("API course", "/api/v1/courses/{course}", "token", 0.40),
    ("API my progress", "/api/v1/me/progress", "token", 0.40),
]
# The same pages from a second server with the page cache off (LMS_PAGE_CACHE=false): what a first view, or
# the first after a change, costs to build. Informational: the targets are for the pages as served.
BUILT = [
    ("module page, first view", "/courses/{course}/{module}", "session", None),
    ("my learning, first view", "/progress/me", "session", None),
]
# Signed in as another demo person; the path is found on a page after signing in (see extra_pages).
ITS_EMAIL, MANAGER_EMAIL = "its@officina.example", "manager@officina.example"
ITS_TARGET_MS = 300  # issue 12: the ITS dashboard and report for 10,000 learners answer within this
RACERS = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict, quiet=True) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


@contextmanager
def database(kind: str, folder: Path):
    """A URL for a fresh database of `kind`; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'lms.sqlite3'}"
        return
    import psycopg

    admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    name = f"lms_bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN_URL.rsplit("/", 1)[0].split("://", 1)[1]
        yield f"postgresql+psycopg://{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def gunicorn(app: str, env: dict, port: int, probe: str, log):
    """Serve `app` with the bench's gunicorn settings until the block ends; its messages go to `log`."""
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--preload", "--chdir", str(ROOT), app],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if server.poll() is not None:
                    log.flush()
                    sys.exit(f"gunicorn {app} exited:\n{Path(log.name).read_text()[-3000:]}")
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def sign_in(base: str, email: str) -> str:
    """The session cookie of `email` after signing in through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = TOKEN_RE.search(page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    response = opener.open(base + "/login", data=data)
    if response.geturl().rstrip("/").endswith("/login"):
        sys.exit(f"signing in {email} failed")
    cookies = {c.name: c.value for c in jar}
    return f"session={cookies['session']}"


def fetch(url: str, headers: dict) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, exc.read().decode()


def wrk(url: str, headers: dict, seconds: int) -> dict:
    """requests/s, p50 and p99 in ms, errors (non-2xx/3xx, socket errors) of one wrk run."""
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    settle(url)
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": errors}


def settle(url: str):
    """Wait until the server has answered what wrk left queued when it stopped: one request per worker, sent
    together, is answered only after the requests before it. Without this a slow page's backlog (up to 16
    requests) is served during the next page's measurement and counted against it."""
    import threading

    parts = urllib.parse.urlsplit(url)
    probe = f"{parts.scheme}://{parts.netloc}/healthz"  # the fortunes server answers 404: as good
    threads = [threading.Thread(target=lambda: fetch(probe, {})) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def bench_database(kind: str, options) -> list[tuple]:
    folder = Path(tempfile.mkdtemp(prefix=f"lms-bench-{kind}-"))
    instance = folder / "instance"
    instance.mkdir()
    # Thousands of requests a minute from one address are the bench, not an attack: without this the API's
    # per-client limit answers 429 (counted as errors). The limiter's own cost is then not measured.
    (instance / "config.py").write_text('LOGIN_RATE_LIMIT = "100000 per minute"\nRATELIMIT_ENABLED = False\n')
    rows = []
    try:
        with database(kind, folder) as url:
            env = {**os.environ, "LMS_INSTANCE_PATH": str(instance), "LMS_DATABASE_URL": url,
                   "LMS_SECRET_KEY": "bench-" + uuid.uuid4().hex, "LMS_MAIL_IMMEDIATE": "off",
                   "BENCH_DATABASE_URL": url if kind != "sqlite" else f"sqlite:///{folder / 'fortunes.sqlite3'}"}
            started = time.perf_counter()
            run([str(BIN / "lms"), "db", "upgrade"], env)
            run([str(BIN / "lms"), "content", "sync"], env)
            # Large enough for the ITS figures (`lms demo` puts every other learner in the ITS foundation), the
            # booking race and (PostgreSQL) the quiz scenario.
            learners = max(2 * options.its_learners, options.learners * options.classes, RACERS + 6, 12)
            run([str(BIN / "lms"), "demo", "--learners", str(learners)], env)
            if kind == "postgresql":  # planner statistics for the rows just bulk-inserted, as autovacuum keeps them
                import psycopg

                with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as pg:
                    pg.execute("ANALYZE")
            token = run([str(BIN / "lms"), "users", "token", LEARNER, "--name", "bench"], env).strip().split()[-1]
            its_token = run([str(BIN / "lms"), "users", "token", ITS_EMAIL, "--name", "bench"], env).strip().split()[-1]
            run([str(BIN / "flask"), "--app", "bench.fortunes:create_app", "seed"], env)
            print(f"[{kind}] set up in {time.perf_counter() - started:.0f} s", flush=True)

            lms_port, fortunes_port, built_port = free_port(), free_port(), free_port()
            base = f"http://127.0.0.1:{lms_port}"
            env["LMS_BASE_URL"] = base
            log = open(folder / "gunicorn.log", "w")  # a pipe nobody reads would block the workers when full
            with log, gunicorn("lms:create_app()", env, lms_port, "/api/v1/openapi.json", log), \
                    gunicorn("bench.fortunes:create_app()", env, fortunes_port, "/fortunes", log), \
                    gunicorn("lms:create_app()", {**env, "LMS_PAGE_CACHE": "false"}, built_port,
                             "/api/v1/openapi.json", log):
                cookie = sign_in(base, LEARNER)
                auth = {"session": {"Cookie": cookie}, "token": {"Authorization": f"Bearer {token}"}}
                status, _url, body = fetch(f"{base}/api/v1/courses/{COURSE}", auth["token"])
                modules = json.loads(body)["modules"]
                module = modules[min(2, len(modules) - 1)]["slug"]
                fortunes = f"http://127.0.0.1:{fortunes_port}/fortunes"
                built = f"http://127.0.0.1:{built_port}"
                pages = [(label, server + path.format(course=COURSE, module=module), auth[how], target)
                         for server, listed in ((base, PAGES), (built, BUILT)) for label, path, how, target in listed]
                for label, page_url, headers, _target in pages:  # each page answers, and signed in
                    status, final, body = fetch(page_url, headers)
                    if status != 200 or final != page_url:
                        sys.exit(f"{label}: {page_url} answered {status} at {final}")
                # Both workers of each server serve every page before it counts (templates compiled, caches
                # filled): one request at a time would reach only one of them.
                pages += extra_pages(base, options.its_learners, its_token)
                race_page, racers = booking_page(base, cookie)
                for _label, page_url, headers, _target in pages + [("fortunes", fortunes, {}, None)] + race_page:
                    wrk(page_url, headers, 2)
                print(f"[{kind}] measuring, {options.seconds} s a page, load average {load_average()}", flush=True)
                before = wrk(fortunes, {}, options.seconds)
                measured = [(label, target, wrk(page_url, headers, options.seconds))
                            for label, page_url, headers, target in pages]
                measured += booking_race(race_page, racers, url, options.seconds)
                after = wrk(fortunes, {}, options.seconds)
                minimal_rps = (before["rps"] + after["rps"]) / 2
                minimal = {"rps": minimal_rps, "p50": (before["p50"] + after["p50"]) / 2,
                           "p99": (before["p99"] + after["p99"]) / 2, "errors": before["errors"] + after["errors"]}
                rows.append((kind, "minimal page (fortunes)", None, minimal, 1.0))
                for label, target, result in measured:
                    rows.append((kind, label, target, result, result["rps"] / minimal_rps))
                print_table(rows[-len(measured) - 1:], load_average())
                if kind == "postgresql" and options.learners:
                    quiz(base, options.learners, options.autosave_rounds, options.classes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def page_link(base: str, cookie: str, page: str, pattern: str) -> str:
    """The first link matching `pattern` on `page` as the person of `cookie` sees it."""
    status, _url, body = fetch(base + page, {"Cookie": cookie})
    match = re.search(pattern, body)
    if status != 200 or match is None:
        sys.exit(f"{page} (HTTP {status}) has no link like {pattern}")
    return match.group(0)


def extra_pages(base: str, learners: int, its_token: str) -> list[tuple]:
    """The ITS coordinator's dashboard, report (whole and one cohort) and API (progress, xAPI statements) for a
    foundation of `learners` learners, and the demo company manager's maturity result: (label, URL, headers,
    target)."""
    its = {"Cookie": sign_in(base, ITS_EMAIL)}
    report = page_link(base, its["Cookie"], "/", r"/progress/organisations/\d+")
    api = {"Authorization": f"Bearer {its_token}"}
    organisation = int(report.rsplit("/", 1)[1])
    _status, _url, body = fetch(f"{base}/api/v1/organisations", api)
    cohort = next(o for o in json.loads(body)["items"] if o["id"] == organisation)["cohorts"][0]["id"]
    api_base = f"{base}/api/v1/organisations/{organisation}"
    manager = {"Cookie": sign_in(base, MANAGER_EMAIL)}
    result = page_link(base, manager["Cookie"], "/assessment/", r"/assessment/\d+/result")
    pages = [(f"ITS dashboard ({learners:,})", base + "/", its, f"{ITS_TARGET_MS} ms"),
             (f"ITS report ({learners:,})", base + report, its, f"{ITS_TARGET_MS} ms"),
             ("ITS report, one cohort", f"{base}{report}?cohort={cohort}", its, f"{ITS_TARGET_MS} ms"),
             ("API ITS progress, 100 rows", f"{api_base}/progress?per_page=100", api, f"{ITS_TARGET_MS} ms"),
             ("API ITS xAPI, 100", f"{api_base}/statements?per_page=100", api, f"{ITS_TARGET_MS} ms"),
             ("maturity result", base + result, manager, None)]
    for label, page_url, headers, _target in pages:
        status, final, _body = fetch(page_url, headers)
        if status != 200 or final != page_url:
            sys.exit(f"{label}: {page_url} answered {status} at {final}")
    return pages


def booking_page(base: str, cookie: str):
    """([(label, URL of an open session's page, headers, target)], the signed-in racers) for the booking race;
    the page is read by the bench's learner, who does not race."""
    import booking_race
    from quiz_start import Learner

    racers = [Learner(base, f"learner{i:02d}@officina.example", 60) for i in range(6, 6 + RACERS)]
    for racer in racers:
        racer.sign_in(PASSWORD)
    sessions = booking_race.open_sessions(racers[0])
    if not sessions:
        sys.exit("no open lab session to race for (lms demo adds some)")
    page = f"{base}/labs/sessions/{sessions[0]}"
    return [("session page, booking race", page, {"Cookie": cookie}, None)], (racers, sessions)


def booking_race(race_page, racers, database_url: str, seconds: int) -> list[tuple]:
    """wrk on the session page while waves of RACERS book at once; the race's own figures and an overbooking
    check are printed. Returns the page's row for the table."""
    import threading

    import booking_race

    (label, page_url, headers, _target), (learners, sessions) = race_page[0], racers
    ordered = [int(page_url.rsplit("/", 1)[1])] + [s for s in sessions if str(s) != page_url.rsplit("/", 1)[1]]
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(booking_race.race(learners, ordered, seconds)))
    worker.start()
    result = wrk(page_url, headers, seconds)
    worker.join()
    from quiz_start import percentile

    times = outcome["times"]
    print(f"  booking race: {outcome['waves']} waves of {len(learners)} simultaneous bookings in "
          f"{outcome['seconds']:.1f} s, {len(times)} answered, {len(outcome['errors'])} errors"
          + (f"; booking p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms"
             if times else ""), flush=True)
    for error in outcome["errors"][:3]:
        print(f"  race error: {error}")
    print(f"  overbooking check: {overbooking(database_url, sessions)}", flush=True)
    return [(label, None, result)]


def overbooking(database_url: str, sessions: list[int]) -> str:
    """'none' when no raced session has more confirmed bookings than seats (or a counter that disagrees)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT s.id, s.capacity, s.confirmed_count, (SELECT count(*) FROM bookings b WHERE "
                "b.session_id = s.id AND b.status = 'confirmed') FROM lab_sessions s"), {}).all()
    finally:
        engine.dispose()
    wrong = [f"session {sid}: {counted} confirmed, counter {counter}, {capacity} seats"
             for sid, capacity, counter, counted in rows if sid in sessions and (counted > capacity or counted != counter)]
    return "; ".join(wrong) or f"none ({len(sessions)} sessions raced)"


def quiz(base: str, learners: int, rounds: int, classes: int):
    """`classes` classes of `learners` (each its own demo learners) start the final quiz one after the other; each
    run's figures, then the median of the runs' p95s: one burst of 40 is a fraction of a second on a shared
    machine, and a neighbour's moment of CPU moves a single p95 by a third."""
    p95s = {"start": [], "autosave": []}
    for number in range(classes):
        print(f"\n[postgresql] class {number + 1} of {classes}: {learners} learners start the same timed quiz "
              f"(final quiz, 20 minutes), then autosave every 5 s ({rounds} rounds); load average {load_average()}",
              flush=True)
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "quiz_start.py"), "--base-url", base,
                               "--learners", str(learners), "--first", str(1 + number * learners),
                               "--course", "digital-hr", "--module", "final",
                               "--autosave-rounds", str(rounds), "--autosave-every", "5"],
                              cwd=ROOT, capture_output=True, text=True)
        print(done.stdout + done.stderr, end="", flush=True)
        for kind, found in zip(("start", "autosave"), re.findall(r"p95 (\d+) ms", done.stdout), strict=False):
            p95s[kind].append(int(found))
    if classes > 1 and all(len(values) == classes for values in p95s.values()):
        print(f"\n[postgresql] the {classes} classes: start -> first question page p95 "
              f"{', '.join(map(str, p95s['start']))} ms (median {statistics.median(p95s['start']):.0f}, target 300); "
              f"autosave p95 {', '.join(map(str, p95s['autosave']))} ms "
              f"(median {statistics.median(p95s['autosave']):.0f}, target 100)", flush=True)


def print_table(rows, load: str):
    print(f"\n{'database':<11} {'page':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
          f"{'target':>7} {'errors':>6}")
    for kind, label, target, result, ratio in rows:
        aim = target if isinstance(target, str) else (f"≥{target:.2f}" if target else "")
        print(f"{kind:<11} {label:<28} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f} "
              f"{ratio:>6.2f} {aim:>7} {result['errors']:>6}")
    print(f"(2 gunicorn workers each, wrk -t2 -c16; load average after: {load})", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--seconds", type=int, default=5, help="how long wrk measures each page")
    parser.add_argument("--learners", type=int, default=40, help="learners in the quiz scenario (0: skip it)")
    parser.add_argument("--autosave-rounds", type=int, default=6, help="autosaves per learner, 5 s apart")
    parser.add_argument("--classes", type=int, default=3, help="quiz classes, one after the other")
    parser.add_argument("--its-learners", type=int, default=10000,
                        help="learners of the demo ITS foundation (the demo gets twice as many in all)")
    options = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs it (apt-get install -y wrk)")
    print(f"make bench on {os.cpu_count()} cores; load average before: {load_average()}", flush=True)
    for kind in options.databases.split(","):
        bench_database(kind.strip(), options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
