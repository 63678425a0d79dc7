#!/usr/bin/env python3
"""A class starts the same quiz at the same second: time from "Start" to the first question page.

Against a running server (`make run`, or any deployment with the demo data):

    python bench/quiz_start.py --base-url http://127.0.0.1:5000 --learners 40

Setup (not timed): each demo learner (learner01..learnerNN@officina.example, or from --first on, password
officina-demo-2026, from `lms demo --learners N`) signs in and is enrolled in the course through the app. Then N threads, released
together by a barrier, each press "Start" (POST, then follow the redirect to the attempt page) and the time until
the page with the first question has arrived is measured; then each saves an answer (the autosave request)
every --autosave-every seconds, --autosave-rounds times, and those are timed too. Prints N, the median, p95 and max of both, and the errors.

Standard library only. A learner who already has an attempt in progress resumes it (that is what the button
does), and one who used up the quiz's attempts cannot start: use a fresh database or another --module. The sign-in
form is rate limited per client (LOGIN_RATE_LIMIT, 10 per minute by default): the setup waits and retries on
429, so with many learners raise the limit on the server you measure (instance/config.py) to save time.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/quiz/attempts/(\d+)$")
QUESTION_RE = re.compile(r'data-question="(\d+)" data-qtype="(\w+)"\s*(?:data-single="(\d)")?')


class Learner:
    """One browser: its cookies, its CSRF token, its attempt."""

    def __init__(self, base_url: str, email: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.email = email
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""
        self.attempt_id = None
        self.first_question = None

    def request(self, path: str, data: dict | None = None, json_body=None, headers=None):
        """(status, final URL, body text); redirects followed (a POST's 302 becomes a GET, as in a browser)."""
        body, all_headers = None, {"User-Agent": "officina-bench/1", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers.update({"Content-Type": "application/json", "X-CSRFToken": self.token})
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base_url + path, data=body, headers=all_headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode("utf-8", "replace")

    def remember_token(self, page: str):
        match = TOKEN_RE.search(page)
        if match:
            self.token = match.group(1)

    def sign_in(self, password: str):
        for _ in range(30):
            status, _url, page = self.request("/login")
            self.remember_token(page)
            status, url, page = self.request("/login", {"email": self.email, "password": password,
                                                        "csrf_token": self.token})
            if status == 429:  # rate limited: wait for the window to move on
                time.sleep(6)
                continue
            if status != 200 or url.rstrip("/").endswith("/login"):
                raise RuntimeError(f"{self.email}: sign-in failed (HTTP {status}); run `lms demo --learners N`")
            return
        raise RuntimeError(f"{self.email}: sign-in still rate limited")

    def prepare(self, quiz_path: str, course: str):
        """Open the quiz's page, enrol in the course if needed; leaves the token of the quiz page."""
        status, _url, page = self.request(quiz_path)
        if status != 200:
            raise RuntimeError(f"{self.email}: {quiz_path} answered HTTP {status}")
        self.remember_token(page)
        if f'action="/courses/{course}/enrol"' in page:
            status, _url, _page = self.request(f"/courses/{course}/enrol", {"csrf_token": self.token})
            status, _url, page = self.request(quiz_path)
            self.remember_token(page)
        if "used all your attempts" in page:
            raise RuntimeError(f"{self.email}: no attempts left at this quiz (fresh database or another --module)")
        if "/start" not in page and "Resume attempt" not in page:
            raise RuntimeError(f"{self.email}: the quiz page offers no start button")

    def start(self, quiz_path: str) -> float:
        """Press Start and wait for the first question page; seconds."""
        began = time.perf_counter()
        status, url, page = self.request(quiz_path + "/start", {"csrf_token": self.token})
        elapsed = time.perf_counter() - began
        match = ATTEMPT_RE.search(urllib.parse.urlparse(url).path)
        question = QUESTION_RE.search(page)
        if status != 200 or match is None or question is None:
            raise RuntimeError(f"{self.email}: start gave HTTP {status} at {url} without a question")
        self.attempt_id = int(match.group(1))
        qtype = question.group(2)
        if qtype == "multichoice" and question.group(3) == "0":
            qtype = "multichoice-several"
        self.first_question = (int(question.group(1)), qtype)
        self.remember_token(page)
        return elapsed

    def save_answer(self) -> float:
        """Autosave an answer to the first question; seconds."""
        question_id, qtype = self.first_question
        answer = {"multichoice": 0, "multichoice-several": [0], "truefalse": True, "match": {}}.get(qtype, "42")
        began = time.perf_counter()
        status, _url, body = self.request(f"/quiz/attempts/{self.attempt_id}/answers",
                                          json_body={"question_id": question_id, "answer": answer})
        elapsed = time.perf_counter() - began
        if status != 200 or "saved_at" not in body:
            raise RuntimeError(f"{self.email}: autosave gave HTTP {status}: {body[:120]}")
        return elapsed


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def together(learners: list[Learner], work) -> tuple[list[float], list[str]]:
    """Run work(learner) in one thread per learner, released at the same moment."""
    barrier = threading.Barrier(len(learners))
    times, errors, lock = [], [], threading.Lock()

    def target(learner):
        try:
            barrier.wait(timeout=60)
            elapsed = work(learner)
            with lock:
                times.append(elapsed)
        except Exception as exc:  # noqa: BLE001  (every failure is reported)
            with lock:
                errors.append(str(exc))

    threads = [threading.Thread(target=target, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors


def report(label: str, n: int, times: list[float], errors: list[str]):
    print(f"{label}: N={n} ok={len(times)} errors={len(errors)}")
    if times:
        print(f"  median {statistics.median(times) * 1000:.0f} ms · p95 {percentile(times, 0.95) * 1000:.0f} ms"
              f" · max {max(times) * 1000:.0f} ms")
    for error in errors[:5]:
        print(f"  error: {error}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("-n", "--learners", type=int, default=20, help="how many learners start at once")
    parser.add_argument("--course", default="digital-hr")
    parser.add_argument("--module", default="why-digital-hr", help='a module slug, or "final" for the final quiz')
    parser.add_argument("--email", default="learner{:02d}@officina.example", help="demo e-mail pattern")
    parser.add_argument("--first", type=int, default=1,
                        help="the first learner's number: another class of the same size starts at first + n")
    parser.add_argument("--password", default="officina-demo-2026")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--autosave-rounds", type=int, default=1, help="autosaves per learner after starting")
    parser.add_argument("--autosave-every", type=float, default=5, help="seconds between a learner's autosaves")
    args = parser.parse_args(argv)

    quiz_path = (f"/courses/{args.course}/final-quiz" if args.module == "final"
                 else f"/courses/{args.course}/{args.module}/quiz")
    learners = [Learner(args.base_url, args.email.format(i), args.timeout)
                for i in range(args.first, args.first + args.learners)]
    print(f"Setup: signing in {len(learners)} learners and enrolling them in {args.course}...", flush=True)
    try:
        for learner in learners:
            learner.sign_in(args.password)
            learner.prepare(quiz_path, args.course)
    except (RuntimeError, OSError) as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        return 2

    cpu, wall = time.process_time(), time.perf_counter()
    times, errors = together(learners, lambda learner: learner.start(quiz_path))
    report("start -> first question page", len(learners), times, errors)
    own_cpu(cpu, wall)
    started = [learner for learner in learners if learner.attempt_id is not None]
    if started:
        cpu, wall = time.process_time(), time.perf_counter()
        save_times, save_errors = together(started, lambda learner: autosaves(learner, args.autosave_rounds,
                                                                              args.autosave_every))
        save_times = [t for batch in save_times for t in batch]
        report(f"autosave every {args.autosave_every:g} s", len(started) * args.autosave_rounds, save_times,
               save_errors)
        own_cpu(cpu, wall)
    return 1 if errors else 0


def own_cpu(cpu: float, wall: float):
    """What this client process took of the machine since (process time, wall time): on the same cores as the
    server, its threads compete with the workers they measure."""
    used, elapsed = time.process_time() - cpu, time.perf_counter() - wall
    print(f"  this load generator's own CPU: {used * 1000:.0f} ms in {elapsed * 1000:.0f} ms "
          f"({used / elapsed * 100 if elapsed else 0:.0f}% of one core)", flush=True)


def autosaves(learner: Learner, rounds: int, every: float) -> list[float]:
    """The page's autosave: one save every `every` seconds, `rounds` times; the seconds each took."""
    times, began = [], time.perf_counter()
    for n in range(rounds):
        if n:
            time.sleep(max(0.0, began + n * every - time.perf_counter()))
        times.append(learner.save_answer())
    return times


if __name__ == "__main__":
    sys.exit(main())
