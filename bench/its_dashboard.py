#!/usr/bin/env python3
"""The ITS foundation's progress report and API with a large population: time and number of SQL statements.

    LMS_DATABASE_URL=sqlite:////tmp/its.sqlite3 .venv/bin/python bench/its_dashboard.py --learners 10000

With an empty database it migrates, syncs the shipped courses and runs `lms demo --learners N` first (seconds);
with demo data already there it only measures. Each page is requested --repeat times in-process (the Flask test
client: no network, no server), as the demo ITS coordinator (its@officina.example); it prints the median and
the worst time and the number of statements of each request. The target (issue 12): ≤ 300 ms, and a number of
statements that does not grow with N (tests/progress/test_scale.py asserts that).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("LMS_DATABASE_URL"):
        sys.exit("Set LMS_DATABASE_URL to a scratch database (it is filled with demo data).")

    from flask_migrate import upgrade
    from sqlalchemy import event, func, select

    from lms import create_app
    from lms.auth.models import User
    from lms.extensions import db
    from lms.orgs.models import Membership, Organisation

    app = create_app()
    app.config.update(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count(User.id)).where(User.email.like("learner%@officina.example"))):
            from lms.content.loading import configured_folders, sync_content
            from lms.demo import create_demo

            sync_content(**configured_folders(app.config))
            db.session.commit()
            started = time.perf_counter()
            create_demo(learners=args.learners)
            print(f"demo data for {args.learners} learners: {time.perf_counter() - started:.1f} s")
        foundation = db.session.scalar(select(Organisation).where(Organisation.kind == "its",
                                                                  Organisation.name.like("%(demo)")))
        members = db.session.scalar(select(func.count()).where(Membership.organisation_id == foundation.id))
        from lms.auth.accounts import create_api_token

        _row, token = create_api_token(User.by_email("its@officina.example"), "bench")
        db.session.commit()
        cohort = foundation.cohorts[0].id

    statements = []

    @event.listens_for(_engine(app, db), "before_cursor_execute")
    def count(*_args):
        statements.append(1)

    client = app.test_client()
    client.post("/login", data={"email": "its@officina.example", "password": "officina-demo-2026"})
    pages = [("home (dashboard)", "/", {}),
             ("ITS report", f"/progress/organisations/{foundation.id}", {}),
             ("ITS report, one cohort", f"/progress/organisations/{foundation.id}?cohort={cohort}", {}),
             ("API progress, 100 rows", f"/api/v1/organisations/{foundation.id}/progress?per_page=100",
              {"Authorization": f"Bearer {token}"}),
             ("API xAPI statements", f"/api/v1/organisations/{foundation.id}/statements?per_page=100",
              {"Authorization": f"Bearer {token}"})]
    print(f"{foundation.name}: {members} members")
    print(f"{'page':<28} {'median ms':>10} {'worst ms':>10} {'statements':>11}")
    for label, url, headers in pages:
        times, counts = [], set()
        for _ in range(args.repeat):
            statements.clear()
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            counts.add(len(statements))
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<28} {statistics.median(times):>10.0f} {max(times):>10.0f} {'/'.join(map(str, sorted(counts))):>11}")


def _engine(app, db):
    with app.app_context():
        return db.engine


if __name__ == "__main__":
    main()
