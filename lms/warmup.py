"""Templates compiled when the app is built, not by the first request that needs them in each worker.

Jinja compiles a template on first use and keeps it for the process. The quiz pages are the ones a whole class
opens in the same second ("start the quiz now"): in a fresh worker (gunicorn recycles them, --max-requests)
compiling the take page and its question macros cost 30-40 ms, paid by the first starts while 40 requests
queue behind them. Built here, they are ready before a worker takes a request: with gunicorn's --preload the
master compiles them once and every worker inherits them; without it, each worker does so as it boots.

Only these few: compiling every template would add over a second to each boot and each CLI command.
"""

# The pages of taking a quiz, what they extend and import.
QUIZ_PAGES = (
    "base.html",
    "_forms.html",
    "quizzes/_macros.html",
    "quizzes/_question.html",
    "quizzes/intro.html",
    "quizzes/take.html",
    "quizzes/confirm.html",
    "quizzes/result.html",
)


def compile_templates(app, names=QUIZ_PAGES) -> None:
    """Compile ``names`` into the app's template cache (Jinja's own: what a render would have put there)."""
    for name in names:
        app.jinja_env.get_template(name)


def warm_up(app):
    """Last in create_app: a template is compiled against the filters registered by then. Not in tests, which
    build an app per test and share compiled templates through their own bytecode cache (tests/speedups.py)."""
    if not app.testing:
        compile_templates(app)
