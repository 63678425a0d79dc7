#!/usr/bin/env python3
"""A booking race: a class books seats of the same lab session at the same moment, wave after wave.

Against a running server with the demo data (`lms demo --learners N`, N at least --learners):

    python bench/booking_race.py --base-url http://127.0.0.1:5000 --learners 40 --seconds 10

Each demo learner signs in (not timed); then, until --seconds have passed, every learner presses "Book" on the
same open session at once (threads released together), and the next wave does the same on the next open
session. Prints the time of each booking (POST and the session page it leads to) and the errors. `make bench` (bench/run.py) runs the race while
wrk measures the session page, so that the page is measured while seats are being taken, and then checks in the
database that no session has more confirmed bookings than seats.
Standard library only (it reuses bench/quiz_start.py's browser).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quiz_start import Learner, report, together  # noqa: E402  (a sibling script, not a package)

SESSION_RE = re.compile(r'href="/labs/sessions/(\d+)"')


def open_sessions(learner: Learner) -> list[int]:
    """Ids of the sessions listed at /labs/sessions whose page offers this learner a "Book" button."""
    status, _url, page = learner.request("/labs/sessions")
    if status != 200:
        raise RuntimeError(f"/labs/sessions answered HTTP {status}")
    found = []
    for session_id in dict.fromkeys(int(n) for n in SESSION_RE.findall(page)):
        _status, _url, session_page = learner.request(f"/labs/sessions/{session_id}")
        if f'action="/labs/sessions/{session_id}/book"' in session_page:
            found.append(session_id)
    return found


def book(learner: Learner, session_id: int) -> float:
    """Press "Book" and wait for the session page it leads to; seconds."""
    path = f"/labs/sessions/{session_id}"
    if not learner.token:
        _status, _url, page = learner.request(path)
        learner.remember_token(page)
    began = time.perf_counter()
    status, url, page = learner.request(path + "/book", {"csrf_token": learner.token})
    elapsed = time.perf_counter() - began
    if status != 200 or not url.endswith(path):
        raise RuntimeError(f"{learner.email}: booking gave HTTP {status} at {url}")
    learner.remember_token(page)
    return elapsed


def race(learners: list[Learner], sessions: list[int], seconds: float) -> dict:
    """Waves of simultaneous bookings, one session per wave (cycling), for `seconds`."""
    times, errors, waves, began = [], [], 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        session_id = sessions[waves % len(sessions)]
        wave_times, wave_errors = together(learners, lambda learner, sid=session_id: book(learner, sid))
        times += wave_times
        errors += wave_errors
        waves += 1
    return {"times": times, "errors": errors, "waves": waves, "seconds": time.perf_counter() - began}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("-n", "--learners", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--email", default="learner{:02d}@officina.example", help="demo e-mail pattern")
    parser.add_argument("--password", default="officina-demo-2026")
    args = parser.parse_args(argv)
    learners = [Learner(args.base_url, args.email.format(i), 60) for i in range(1, args.learners + 1)]
    for learner in learners:
        learner.sign_in(args.password)
    sessions = open_sessions(learners[0])
    if not sessions:
        print("no open session to book (lms demo adds some)", file=sys.stderr)
        return 2
    result = race(learners, sessions, args.seconds)
    report(f"booking race, {result['waves']} waves over sessions {sessions}", len(result["times"]) +
           len(result["errors"]), result["times"], result["errors"])
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
