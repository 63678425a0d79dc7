#!/usr/bin/env python3
"""Profile one page in-process: the real app on a real database, the request through Flask's test client.

Uses the same settings as `lms` (LMS_DATABASE_URL, LMS_INSTANCE_PATH, ...), so point it at a database
filled by `lms db upgrade && lms content sync && lms demo`:

    python bench/profile_page.py /courses/digitalization-101 --email learner05@officina.example -n 50

Prints the milliseconds and SQL statements per request, then the functions where the time went (cProfile,
sorted by cumulative time; --sort tottime for where it is spent itself).
"""
import argparse
import cProfile
import pstats
import re
import time

from sqlalchemy import event

from lms import create_app
from lms.extensions import db

PASSWORD = "officina-demo-2026"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--email", help="sign in as this person first (demo password)")
    parser.add_argument("--token", help="send this API token")
    parser.add_argument("-n", "--requests", type=int, default=50)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args(argv)

    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    if args.email:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = client.post("/login", data={"email": args.email, "password": PASSWORD, "csrf_token": token})
        assert answer.status_code == 302, answer.status_code
    for _ in range(3):
        response = client.get(args.path, headers=headers)
        assert response.status_code == 200, response.status_code

    began = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.path, headers=headers)
    plain = (time.perf_counter() - began) / args.requests
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path, headers=headers)
    profiler.disable()
    elapsed = (time.perf_counter() - began) / args.requests
    print(f"{args.path}: {plain * 1000:.1f} ms a request ({elapsed * 1000:.1f} ms profiled), "
          f"{len(statements) / args.requests:.1f} SQL statements a request")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
