"""The page cache (lms/pagecache.py) and the stamps the database moves for it (lms/cachestamps.py).

A page served again costs one statement; everything a page shows that can change moves a stamp, in the same
transaction, on SQLite and PostgreSQL; and what a kept page must not reuse (another session's CSRF token, a
session that was ended, a flashed message, the minute) is never reused. test_cached_fragments.py holds the
edits, drafts, per-learner progress and language cases, which run through this cache as well.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, text, update

from lms import cachestamps, dbtypes
from lms.auth import accounts
from lms.auth.models import ApiToken, User
from lms.courses import enrolment
from lms.courses.models import Course, Module
from lms.extensions import db
from lms.labs.models import Lab, LabSession
from lms.notify.models import OutboxMessage
from tests.conftest import PASSWORD
from tests.courses.reading_factories import NOW, make_course

MODULE = "/courses/digital-basics/m2"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _statements(client, path, headers=None):
    """(response, the SQL statements its request ran)."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path, headers=headers or {})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return response, seen


def _signed_in(app, email="lea@example.com"):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = TOKEN_RE.search(page).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    return client


@pytest.fixture
def csrf_app(app_factory):
    """CSRF on, as in production: a kept page's token must be the asking session's own."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.mark.parametrize("path", [MODULE, "/courses/digital-basics", "/courses/", "/courses/?q=module",
                                  "/progress/me"])
def test_a_page_served_again_costs_one_statement(app, create_user, login, client, path):
    user = create_user("lea@example.com", "Lea")
    enrolment.enrol(user, make_course(), now=NOW)
    db.session.commit()
    login("lea@example.com")
    first, _ = _statements(client, path)
    client.get(path)  # the module page's first view records "resume here", which moves the reader's stamp
    again, statements = _statements(client, path)
    # The same page, but for its CSRF tokens: each answer signs the session's token anew (timestamped to the second).
    assert again.status_code == 200 and _untokened(again) == _untokened(first)
    assert len(statements) == 1 and "cache_revision" in statements[0]


def _untokened(response) -> str:
    return TOKEN_RE.sub("", response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/api/v1/courses/digital-basics", "/api/v1/me/progress"])
def test_an_api_answer_served_again_costs_one_statement_and_follows_its_token(app, client, path):
    lea = accounts.create_user("lea@example.com", "Lea", roles=["learner"], password=PASSWORD)
    enrolment.enrol(lea, make_course(), now=NOW)
    token, clear = accounts.create_api_token(lea, "phone")
    _other, other_clear = accounts.create_api_token(
        accounts.create_user("bob@example.com", "Bob", roles=["learner"], password=PASSWORD), "bob")
    db.session.commit()
    token_id, lea_id = token.id, lea.id  # _statements() empties the session, as each request starts
    lea_headers, bob_headers = {"Authorization": f"Bearer {clear}"}, {"Authorization": f"Bearer {other_clear}"}
    client.get(path, headers=lea_headers)  # notes the token's first use: the token check runs, nothing is kept
    first = client.get(path, headers=lea_headers)
    again, statements = _statements(client, path, headers=lea_headers)
    assert again.status_code == 200 and again.get_json() == first.get_json() and len(statements) == 1
    bobs = client.get(path, headers=bob_headers)
    assert bobs.status_code == 200
    if path.endswith("/me/progress"):
        assert bobs.get_json()["items"] == [] and len(first.get_json()["items"]) == 1
    # A last use due to be noted (a minute old) is noted: the token check runs, not the cache.
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id)
                       .values(last_used_at=dbtypes.utcnow() - timedelta(minutes=2)))
    db.session.commit()
    due, statements = _statements(client, path, headers=lea_headers)
    assert due.status_code == 200 and len(statements) > 1
    assert dbtypes.utcnow() - db.session.get(ApiToken, token_id).last_used_at < timedelta(minutes=1)
    accounts.revoke_api_token(db.session.get(User, lea_id), token_id, dbtypes.utcnow())
    db.session.commit()
    assert client.get(path, headers=lea_headers).status_code == 401


def test_each_session_gets_its_own_csrf_token_and_it_posts(csrf_app):
    user = accounts.create_user("lea@example.com", "Lea", roles=["learner"], password=PASSWORD)
    course = make_course()
    enrolment.enrol(user, course, now=NOW)
    db.session.commit()
    laptop, phone = _signed_in(csrf_app), _signed_in(csrf_app)
    laptop.get(MODULE)
    laptop_page = laptop.get(MODULE).get_data(as_text=True)
    phone_page, statements = _statements(phone, MODULE)
    phone_page = phone_page.get_data(as_text=True)
    assert len(statements) == 1  # the phone was served the laptop's kept page...
    tokens = set(TOKEN_RE.findall(phone_page))
    assert len(tokens) == 1 and tokens.isdisjoint(TOKEN_RE.findall(laptop_page))  # ...with a token of its own
    assert "\x00" not in phone_page
    done = phone.post(f"{MODULE}/complete", data={"csrf_token": tokens.pop()})
    assert done.status_code == 302
    assert "You completed this module." in phone.get(MODULE).get_data(as_text=True)
    assert "You completed this module." in laptop.get(MODULE).get_data(as_text=True)


def test_an_ended_session_or_a_deactivated_account_is_not_served(app, create_user, login, client):
    user = create_user("lea@example.com", "Lea")
    make_course()
    login("lea@example.com")
    client.get("/courses/")
    assert client.get("/courses/").status_code == 200
    user = db.session.get(User, user.id)
    user.end_all_sessions()  # "sign out everywhere"
    db.session.commit()
    ended = client.get(MODULE)
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert "Lea" not in client.get("/courses/").get_data(as_text=True)
    login("lea@example.com")
    client.get("/courses/")
    db.session.get(User, user.id).is_active = False
    db.session.commit()
    assert client.get(MODULE).status_code == 302


def test_a_flashed_message_shows_once_and_the_page_after_it_is_kept(app, create_user, login, client):
    create_user("lea@example.com", "Lea")
    make_course()
    login("lea@example.com")
    client.get("/courses/digital-basics")
    client.get("/courses/digital-basics")
    enrolled = client.post("/courses/digital-basics/enrol", follow_redirects=True).get_data(as_text=True)
    assert "You are enrolled" in enrolled
    again, statements = _statements(client, "/courses/digital-basics")
    assert "You are enrolled" not in again.get_data(as_text=True) and len(statements) > 1  # enrolling moved it
    _, statements = _statements(client, "/courses/digital-basics")
    assert len(statements) == 1


def test_a_kept_page_follows_the_persons_saved_language(app, create_user, login, client):
    user = create_user("lea@example.com", "Lea")
    make_course()
    login("lea@example.com")
    client.get("/courses/")
    assert ">Courses<" in client.get("/courses/").get_data(as_text=True)
    db.session.get(User, user.id).language = "it"
    db.session.commit()
    assert ">Corsi<" in client.get("/courses/").get_data(as_text=True)


def test_a_kept_page_lasts_no_longer_than_its_minute(app, create_user, login, client, monkeypatch):
    create_user("lea@example.com", "Lea")
    make_course()
    login("lea@example.com")
    client.get("/courses/")
    assert len(_statements(client, "/courses/")[1]) == 1
    later = dbtypes.utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(dbtypes, "utcnow", lambda: later)
    assert len(_statements(client, "/courses/")[1]) > 1


def test_the_cache_can_be_turned_off(app, create_user, login, client):
    app.config["PAGE_CACHE"] = False
    create_user("lea@example.com", "Lea")
    make_course()
    login("lea@example.com")
    client.get("/courses/")
    assert len(_statements(client, "/courses/")[1]) > 1


# The stamps, on both databases --------------------------------------------------------------------------------

def _stamps(user_ids):
    people = dict(db.session.execute(text("SELECT id, cache_stamp FROM users")).all())
    site = db.session.execute(cachestamps.STAMP).scalar()
    return site, {i: people[i] for i in user_ids}


def test_the_database_moves_the_stamps_with_what_pages_show(db_app):
    ann = accounts.create_user("ann@example.com", "Ann", roles=["learner"], password=PASSWORD)
    bob = accounts.create_user("bob@example.com", "Bob", roles=["learner"], password=PASSWORD)
    course = make_course()
    lab = Lab(slug="lab", name="Lab")
    db.session.add(lab)
    db.session.flush()
    session = LabSession(lab=lab, title="Session", starts_at=NOW + timedelta(days=3),
                         ends_at=NOW + timedelta(days=3, hours=2), capacity=5)
    db.session.add(session)
    db.session.commit()
    ids = (ann.id, bob.id)

    def after(change):
        before = _stamps(ids)
        change()
        db.session.commit()
        site, people = _stamps(ids)
        return site != before[0], {i for i in ids if people[i] != before[1][i]}

    # A person's own rows move their stamp only.
    assert after(lambda: enrolment.enrol(db.session.get(User, ann.id), db.session.get(Course, course.id),
                                         now=NOW)) == (False, {ann.id})
    module = db.session.scalar(db.select(Module).where(Module.slug == "m1"))
    assert after(lambda: enrolment.mark_complete(db.session.get(User, ann.id), module, NOW)) == (False, {ann.id})
    # Shared rows move the site's stamp, written through the ORM or by hand.
    assert after(lambda: setattr(db.session.get(Course, course.id), "title", "Renamed")) == (True, set())
    assert after(lambda: db.session.execute(update(Module).values(minutes=Module.minutes + 1))) == (True, set())
    assert after(lambda: db.session.get(User, bob.id).__setattr__("name", "Roberto")) == (True, set())
    # What no kept page shows moves nothing: a session's seat count, a login time, an autosaved answer.
    assert after(lambda: db.session.execute(update(LabSession).values(confirmed_count=LabSession.confirmed_count + 1)
                                            )) == (False, set())
    assert after(lambda: setattr(db.session.get(User, bob.id), "last_login_at", NOW)) == (False, set())
    # Nor one's own settings: the key reads the language and time zone itself (so saving them never waits on the
    # site's row, which a content change holds while it recomputes everyone's progress).
    assert after(lambda: setattr(db.session.get(User, bob.id), "timezone", "Europe/London")) == (False, set())
    assert after(lambda: setattr(db.session.get(User, bob.id), "language", "it")) == (False, set())
    assert after(lambda: db.session.add(OutboxMessage(key="k", kind="mail", recipient="a@example.com", raw="x"))
                 ) == (False, set())
    # A stamp never goes back: max(old + 1, now in microseconds).
    site, _people = _stamps(ids)
    assert site > 1_700_000_000 * 1_000_000


def test_every_table_a_page_may_show_has_its_triggers(db_app):
    """A new table is either a person's own, shared, or listed as shown on no kept page: never forgotten."""
    classified = set(cachestamps.PERSONAL) | set(cachestamps.shared_tables(db.metadata))
    assert classified | cachestamps.UNSHOWN >= set(db.metadata.tables)
    assert set(cachestamps.PERSONAL) <= set(db.metadata.tables)
    assert triggered_tables(db.session.connection()) == classified


def triggered_tables(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 6) = 'cache_'")
    else:
        rows = connection.exec_driver_sql(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE substr(trigger_name, 1, 6) = 'cache_'")
    return {name for (name,) in rows}


def test_a_learner_and_a_course_wide_recompute_do_not_deadlock_on_the_stamps(app_factory, postgres_url):
    """PostgreSQL: a learner's completion takes their stamp's row lock only at commit (deferred triggers), so it
    cannot hold it while waiting for their enrolment, which a publish recomputing every enrolment holds while it
    moves that learner's stamp."""
    import threading

    from tests.conftest import fresh_schema

    for _app in fresh_schema(app_factory, postgres_url):  # the app, in its context, on an empty schema
        lea = accounts.create_user("lea@example.com", "Lea", roles=["learner"], password=PASSWORD)
        course = make_course()
        enrolment.enrol(lea, course, now=NOW)
        db.session.commit()
        ids = {"user": lea.id, "course": course.id, "module": course.modules[0].id}
        db.session.remove()
        learner, trainer = db.engine.connect(), db.engine.connect()
        try:
            for connection in (learner, trainer):  # a wait that would never end fails the test instead
                connection.begin()
                connection.execute(text("SET LOCAL lock_timeout = '5s'"))
            learner.execute(text("INSERT INTO module_completions (user_id, module_id, completed_at, via) "
                                 "VALUES (:user, :module, now(), 'read')"), ids)
            trainer.execute(text("UPDATE enrolments SET modules_done = modules_done WHERE course_id = :course"), ids)
            outcome = {}

            def finish_learner(learner=learner, ids=ids, outcome=outcome):
                try:  # waits for the trainer's row lock on the enrolment
                    learner.execute(text("UPDATE enrolments SET modules_done = 1 WHERE user_id = :user"), ids)
                    learner.commit()
                    outcome["learner"] = "committed"
                except Exception as exc:  # a deadlock would land here
                    outcome["learner"] = repr(exc)

            waiting = threading.Thread(target=finish_learner)
            waiting.start()
            waiting.join(0.5)
            trainer.commit()  # moves the learner's stamp at commit: their users row is free
            waiting.join(10)
            assert outcome == {"learner": "committed"}
        finally:
            learner.close()
            trainer.close()
