"""The yardstick: the "fortunes" test of the TechEmpower benchmarks as a minimal Flask page.

One ORM query (every row of a small table), one row added in memory, sorted, rendered by a Jinja template
with autoescaping. `make bench` serves it with the same gunicorn settings as the project, against the same
kind of database, and reports each page of the project as a ratio to it.

    BENCH_DATABASE_URL=sqlite:////tmp/f.sqlite3 gunicorn -w 2 'bench.fortunes:create_app()'
"""
import os
from pathlib import Path

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()

MESSAGES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]


class Fortune(db.Model):
    __tablename__ = "bench_fortunes"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(String(2048))


def create_app():
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_DATABASE_URL"]
    db.init_app(app)

    @app.get("/fortunes")
    def fortunes():
        rows = [(f.id, f.message) for f in db.session.scalars(select(Fortune))]
        rows.append((0, "Additional fortune added at request time."))
        rows.sort(key=lambda row: row[1])
        return render_template("fortunes.html", fortunes=rows)

    @app.cli.command("seed")
    def seed():
        """Create the table and its rows (once)."""
        db.create_all()
        if db.session.scalar(select(Fortune).limit(1)) is None:
            db.session.add_all(Fortune(message=m) for m in MESSAGES)
            db.session.commit()

    return app
