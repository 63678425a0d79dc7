"""Authoring in the browser: rules (create, edit, revisions, restore, reorder, publish, uploads) and their pages."""
import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from lms.courses import authoring, revisions, uploads
from lms.courses.models import Course, Module
from lms.extensions import db
from tests.courses.reading_factories import NOW, make_course


@pytest.fixture
def trainer(create_user):
    return create_user("tina@example.com", "Tina Trainer", roles=("trainer",))


def _png(size=(4, 3), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


# Rules ---------------------------------------------------------------------------------------------------

def test_create_course_is_a_draft_taught_by_its_author(app, trainer):
    course = authoring.create_course("data-for-managers", "Data for managers", trainer, NOW, audience=["manager"])
    assert course.is_published is False
    assert course.trainer_emails == ["tina@example.com"]
    with pytest.raises(authoring.AuthoringError) as taken:
        authoring.create_course("data-for-managers", "Again", trainer, NOW)
    assert taken.value.field == "slug"
    with pytest.raises(authoring.AuthoringError):
        authoring.create_course("Bad Slug!", "Title", trainer, NOW)
    with pytest.raises(authoring.AuthoringError, match="audience"):
        authoring.create_course("ok-slug", "Title", trainer, NOW, audience=["astronaut"])


def test_update_module_writes_a_browser_revision(app, trainer):
    course = make_course(trainers=["tina@example.com"])
    module = course.modules[0]
    original = module.body
    later = NOW + timedelta(hours=1)
    revision = authoring.update_module(module, "Module 1, revised", 15, "New **text**.\r\n", trainer, later,
                                       note="Shorter")
    db.session.commit()
    assert module.edited_in_browser_at == later
    assert (module.title, module.minutes, module.body) == ("Module 1, revised", 15, "New **text**.\n")
    # The module had no revision: its text before the edit was kept first.
    assert [(r.number, r.source) for r in module.revisions] == [(1, "file"), (2, "browser")]
    assert module.revisions[0].body == original
    assert (revision.number, revision.author_id, revision.note, revision.created_at) == (2, trainer.id, "Shorter", later)


def test_saving_unchanged_text_makes_no_revision(app, trainer):
    module = make_course().modules[0]
    authoring.update_module(module, "Edited", 10, "Text", trainer, NOW)
    assert authoring.update_module(module, "Edited", 10, "Text", trainer, NOW, summary="New summary") is None
    assert len(module.revisions) == 2 and module.summary == "New summary"


def test_concurrent_edit_is_a_conflict(app, trainer):
    module = make_course().modules[0]
    first = authoring.update_module(module, "A", 10, "one", trainer, NOW)
    authoring.update_module(module, "A", 10, "two", trainer, NOW, expected_revision=first.number)
    with pytest.raises(authoring.RevisionConflict, match="newer version"):
        authoring.update_module(module, "A", 10, "three", trainer, NOW, expected_revision=first.number)
    assert module.body == "two"


def test_restore_copies_an_old_revision_forward(app, trainer):
    module = make_course().modules[0]
    first = authoring.update_module(module, "Title one", 10, "one", trainer, NOW)
    authoring.update_module(module, "Title two", 20, "two", trainer, NOW)
    restored = authoring.restore_revision(module, first, trainer, NOW + timedelta(days=1))
    assert (module.title, module.minutes, module.body) == ("Title one", 10, "one")
    assert restored.source == "restore" and restored.number == 4 and "2" in restored.note
    assert module.edited_in_browser_at == NOW + timedelta(days=1)
    other = make_course("other").modules[0]
    with pytest.raises(authoring.AuthoringError):
        authoring.restore_revision(other, first, trainer, NOW)


def test_create_module_appends_a_draft_and_refuses_reserved_slugs(app, trainer):
    course = make_course(modules=2)
    module = authoring.create_module(course, "wrap-up", "Wrap-up", 5, "Bye", trainer, NOW, audience=["ceo"])
    assert (module.position, module.is_published, module.audience) == (3, False, ["ceo"])
    assert module.revisions[0].source == "browser" and module.edited_in_browser_at == NOW
    for slug in ("files", "m1"):
        with pytest.raises(authoring.AuthoringError):
            authoring.create_module(course, slug, "X", 5, "", trainer, NOW)
    with pytest.raises(authoring.AuthoringError, match="Minutes"):
        authoring.create_module(course, "zero", "X", 0, "", trainer, NOW)


def test_reorder_and_moved(app):
    course = make_course(modules=3)
    m1, m2, m3 = course.modules
    m2.archived_at = NOW
    authoring.reorder(course, [m3.id, m1.id], NOW)
    db.session.commit()
    assert [m.slug for m in course.modules] == ["m3", "m1", "m2"]  # archived ones go last
    with pytest.raises(authoring.AuthoringError):
        authoring.reorder(course, [m3.id], NOW)
    with pytest.raises(authoring.AuthoringError):
        authoring.reorder(course, [m3.id, m3.id], NOW)
    assert authoring.moved([1, 2, 3], 3, -1) == [1, 3, 2]
    assert authoring.moved([1, 2, 3], 1, -1) == [1, 2, 3]
    assert authoring.moved([1, 2, 3], 1, 1) == [2, 1, 3]


def test_publishing_a_course_needs_a_published_module(app, trainer):
    course = authoring.create_course("new-one", "New one", trainer, NOW)
    with pytest.raises(authoring.AuthoringError, match="at least one module"):
        authoring.set_course_published(course, True, NOW)
    module = authoring.create_module(course, "intro", "Intro", 5, "Hi", trainer, NOW)
    authoring.set_module_published(module, True, NOW)
    authoring.set_course_published(course, True, NOW)
    assert course.is_published


def test_update_course_keeps_the_editor_among_trainers(app, trainer):
    course = make_course(trainers=["tina@example.com"])
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.update_course(course, NOW, "T", "", "", "en", [], ["other@example.com"], [], editor=trainer)
    assert exc.value.field == "trainer_emails"


def test_diff_table_escapes_and_labels_changes(app):
    html = str(revisions.diff_table("keep\n<script>old()</script>\nsame", "keep\n<b>new</b>\nsame", "Cap <i>"))
    assert "<script>" not in html and "&lt;script&gt;old()&lt;/script&gt;" in html
    assert "&lt;b&gt;new&lt;/b&gt;" in html and "Cap &lt;i&gt;" in html
    assert 'class="diff-del table-danger"' in html and 'class="diff-add table-success"' in html
    assert "removed: " in html and "added: " in html
    lines = revisions.diff_lines("a\nb\nc", "a\nB\nc")
    assert [(line.kind, line.text) for line in lines] == [("same", "a"), ("del", "b"), ("add", "B"), ("same", "c")]
    assert "same in both" in str(revisions.diff_table("x", "x", "c"))


# Image uploads -------------------------------------------------------------------------------------------

def test_image_upload_checks_content_and_names_safely(tmp_path):
    png = _png()
    assert uploads.save_image(tmp_path, "c", "Schéma finale.PNG", png, 10_000) == "media/schema-finale.png"
    assert uploads.save_image(tmp_path, "c", "schema finale.png", png, 10_000) == "media/schema-finale.png"
    other = _png((5, 5))
    assert uploads.save_image(tmp_path, "c", "schema-finale.png", other, 10_000) == "media/schema-finale-2.png"
    # The content decides the extension, not the name.
    assert uploads.save_image(tmp_path, "c", "photo.png", _png(fmt="JPEG"), 10_000) == "media/photo.jpg"
    assert uploads.save_image(tmp_path, "c", "../../etc/passwd.gif", _png(fmt="GIF"), 10_000) == "media/passwd.gif"
    assert (tmp_path / "courses" / "c" / "media" / "schema-finale-2.png").read_bytes() == other


@pytest.mark.parametrize("name, data, message", [
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    ("x.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
    ("x.png", b"<html><script>alert(1)</script></html>", "not an image"),
    ("x.png", b"", "empty"),
    ("x.bmp", None, "BMP images are not accepted"),
])
def test_image_upload_refusals(tmp_path, name, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (2, 2)).save(buffer, "BMP")
        data = buffer.getvalue()
    with pytest.raises(uploads.UploadError, match=message):
        uploads.save_image(tmp_path, "c", name, data, 10_000)
    assert not list((tmp_path / "courses").rglob("*.*")) if (tmp_path / "courses").exists() else True


def test_image_upload_size_limit(tmp_path):
    with pytest.raises(uploads.UploadError, match="too large"):
        uploads.save_image(tmp_path, "c", "big.png", _png((300, 300)), 100)


# Pages ---------------------------------------------------------------------------------------------------

def test_authoring_pages_need_the_trainer_role_and_the_course(app, client, create_user, login, trainer):
    create_user()
    create_user("otto@example.com", "Otto Other", roles=("trainer",))
    make_course("mine", "Mine", trainers=["tina@example.com"])
    make_course("theirs", "Theirs", trainers=["otto@example.com"])
    make_course("their-draft", "Their draft", trainers=["otto@example.com"], published=False)
    login()
    assert client.get("/authoring/").status_code == 403
    client.post("/logout")
    login("tina@example.com")
    index = client.get("/authoring/").get_data(as_text=True)
    assert "Mine" in index and "Theirs" not in index
    assert client.get("/authoring/mine/").status_code == 200
    assert client.get("/authoring/theirs/").status_code == 403
    assert client.get("/authoring/their-draft/").status_code == 404
    assert client.post("/authoring/theirs/preview", data={"body": "x"}).status_code == 403
    assert client.get("/authoring/theirs/modules/m1/edit").status_code == 403


def test_admin_authors_every_course(app, client, create_user, login):
    create_user("admin@example.com", "Ada Admin", roles=("admin",))
    make_course("theirs", "Theirs", trainers=["otto@example.com"], published=False)
    login("admin@example.com")
    assert "Theirs" in client.get("/authoring/").get_data(as_text=True)
    assert client.get("/authoring/theirs/modules/m1/edit").status_code == 200


def test_trainer_creates_a_course_and_a_module_then_publishes(app, client, login, trainer):
    login("tina@example.com")
    response = client.post("/authoring/new", data={
        "title": "Data for managers", "slug": "data-for-managers", "summary": "Short.", "description": "Long.",
        "language": "en", "audience": ["manager"], "trainer_emails": "tina@example.com\nco@example.com",
        "prerequisites": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/authoring/data-for-managers/modules/new")
    course = db.session.scalar(select(Course).where(Course.slug == "data-for-managers"))
    assert course.trainer_emails == ["tina@example.com", "co@example.com"] and not course.is_published

    bad = client.post("/authoring/data-for-managers/modules/new",
                      data={"title": "", "slug": "intro", "minutes": "10", "body": "Keep **me**"})
    assert bad.status_code == 422 and "Keep **me**" in bad.get_data(as_text=True)

    client.post("/authoring/data-for-managers/modules/new",
                data={"title": "Intro", "slug": "intro", "minutes": "10", "body": "## Hello\n\nText."})
    module = db.session.scalar(select(Module).where(Module.slug == "intro"))
    assert module is not None and module.edited_in_browser_at is not None

    refused = client.post("/authoring/data-for-managers/publish", follow_redirects=True)
    assert "Publish at least one module first" in refused.get_data(as_text=True)
    client.post("/authoring/data-for-managers/modules/intro/publish")
    client.post("/authoring/data-for-managers/publish")
    db.session.refresh(course)
    assert course.is_published
    assert "Data for managers" in client.get("/courses/?q=hello").get_data(as_text=True)  # reindexed


def test_publishing_pages_flash_the_outcome_and_return_where_asked(client, login, trainer):
    course = make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    draft = client.post("/authoring/digital-basics/modules/m1/unpublish", data={"back": "editor"})
    assert draft.headers["Location"].endswith("/authoring/digital-basics/modules/m1/edit")
    assert "“Module 1” is now a draft." in client.get("/authoring/digital-basics/").get_data(as_text=True)
    live = client.post("/authoring/digital-basics/modules/m1/publish")
    assert live.headers["Location"].endswith("/authoring/digital-basics/#modules")
    assert "“Module 1” is published." in client.get("/authoring/digital-basics/").get_data(as_text=True)
    client.post("/authoring/digital-basics/unpublish")
    assert "now a draft: only its trainers" in client.get("/authoring/digital-basics/").get_data(as_text=True)
    db.session.refresh(course)
    assert not course.is_published and course.modules[0].is_published

    course.modules[1].archived_at = NOW
    course.modules[1].is_published = False
    db.session.commit()
    refused = client.post("/authoring/digital-basics/modules/m2/publish", follow_redirects=True)
    assert "removed from the course files" in refused.get_data(as_text=True)
    db.session.refresh(course.modules[1])
    assert not course.modules[1].is_published


def test_edit_module_saves_a_revision_and_shows_the_diff(app, client, login, trainer):
    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    editor = client.get("/authoring/digital-basics/modules/m1/edit").get_data(as_text=True)
    assert 'data-preview-url="/authoring/digital-basics/preview"' in editor and "js/editor.js" in editor
    response = client.post("/authoring/digital-basics/modules/m1/edit", data={
        "title": "Module 1", "minutes": "12", "summary": "", "body": "Intro paragraph.\n\nA <new> line.",
        "note": "Simpler", "base_revision": ""}, follow_redirects=True)
    assert "Saved as revision 2." in response.get_data(as_text=True)
    history = client.get("/authoring/digital-basics/modules/m1/revisions").get_data(as_text=True)
    assert "Simpler" in history and "Tina Trainer" in history
    diff = client.get("/authoring/digital-basics/modules/m1/revisions/2").get_data(as_text=True)
    assert "A &lt;new&gt; line." in diff and "Changes from revision 1 to revision 2" in diff
    assert "Restore this revision" not in diff  # it is the current one
    old = client.get("/authoring/digital-basics/modules/m1/revisions/1").get_data(as_text=True)
    assert "Restore this revision" in old
    # A stale editor (opened on revision 1) does not overwrite revision 2, and keeps the text typed.
    stale = client.post("/authoring/digital-basics/modules/m1/edit", data={
        "title": "Module 1", "minutes": "12", "body": "My stale text", "base_revision": "1"})
    assert stale.status_code == 409 and "My stale text" in stale.get_data(as_text=True)
    assert "newer version" in stale.get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="2"' in stale.get_data(as_text=True)
    client.post("/authoring/digital-basics/modules/m1/revisions/1/restore")
    module = db.session.scalar(select(Module).where(Module.slug == "m1"))
    assert module.revisions[-1].source == "restore" and "## First part" in module.body


def test_reorder_page_moves_a_module(app, client, login, trainer):
    course = make_course(trainers=["tina@example.com"])
    ids = [m.id for m in course.modules]
    login("tina@example.com")
    client.post("/authoring/digital-basics/reorder", data={"order": [str(i) for i in ids], "move": f"{ids[2]}:-1"})
    db.session.expire_all()
    assert [m.slug for m in db.session.get(Course, course.id).modules] == ["m1", "m3", "m2"]
    stale = client.post("/authoring/digital-basics/reorder", data={"order": [str(ids[0])]}, follow_redirects=True)
    assert "reload the page" in stale.get_data(as_text=True)


def test_preview_endpoint_renders_through_the_sanitiser(app, client, login, trainer):
    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    response = client.post("/authoring/digital-basics/preview",
                           data={"body": "## Hi\n\n<script>alert(1)</script>\n\n![d](media/d.png)"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<h2 id="user-content-hi">Hi</h2>' in html and "<script" not in html
    assert 'src="/courses/digital-basics/files/media/d.png"' in html
    too_long = client.post("/authoring/digital-basics/preview", data={"body": "x" * (authoring.MAX_BODY_CHARS + 1)})
    assert too_long.status_code == 413


def test_upload_endpoint_answers_json_to_the_editor(app, client, login, trainer, tmp_path):
    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    headers = {"Accept": "application/json", "X-Requested-With": "fetch"}
    ok = client.post("/authoring/digital-basics/images", headers=headers,
                     data={"image": (io.BytesIO(_png()), "Line layout.png")})
    assert ok.status_code == 200
    assert ok.json["markdown"] == "![Line layout](media/line-layout.png)"
    assert (tmp_path / "uploads" / "courses" / "digital-basics" / "media" / "line-layout.png").exists()
    served = client.get(ok.json["url"])
    assert served.status_code == 200 and served.mimetype == "image/png"
    svg = client.post("/authoring/digital-basics/images", headers=headers,
                      data={"image": (io.BytesIO(b"<svg onload='alert(1)'/>"), "evil.svg")})
    assert svg.status_code == 400 and "can contain scripts" in svg.json["error"]
    # Without the script: a redirect back with a message.
    plain = client.post("/authoring/digital-basics/images", follow_redirects=True,
                        data={"image": (io.BytesIO(_png()), "x.png"), "back": "/authoring/digital-basics/"})
    assert "Image uploaded" in plain.get_data(as_text=True)


def test_upload_size_limit_from_config(app_factory, tmp_path, create_user):
    small = app_factory(UPLOAD_MAX_BYTES=50)
    with small.app_context():
        from lms.auth import accounts

        accounts.create_user("tina@example.com", "Tina", roles=("trainer",), password="correct-horse-battery")
        make_course(trainers=["tina@example.com"])
        client = small.test_client()
        client.post("/login", data={"email": "tina@example.com", "password": "correct-horse-battery"})
        response = client.post("/authoring/digital-basics/images", headers={"Accept": "application/json"},
                               data={"image": (io.BytesIO(_png((50, 50))), "x.png")})
        assert response.status_code == 400 and "too large" in response.json["error"]


def test_export_downloads_the_course_as_a_zip(app, client, login, trainer):
    import zipfile

    make_course(trainers=["tina@example.com"])
    login("tina@example.com")
    client.post("/authoring/digital-basics/modules/m1/edit", data={
        "title": "Module 1", "minutes": "10", "body": "Edited in the browser.", "base_revision": ""})
    response = client.get("/authoring/digital-basics/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="digital-basics.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "digital-basics/course.md" in names
    module_file = next(n for n in names if n.endswith("-m1.md"))
    assert "Edited in the browser." in archive.read(module_file).decode()


def test_admin_runs_the_sync_and_sees_a_browser_edit_conflict(app_factory, tmp_path):
    from lms.auth import accounts
    from tests.courses import content_factory

    courses_dir = tmp_path / "course-files"
    content_factory.make_course(courses_dir)
    app = app_factory(COURSES_DIR=str(courses_dir), LABS_DIR=str(tmp_path / "no-labs"))
    (tmp_path / "no-labs").mkdir()
    with app.app_context():
        accounts.create_user("admin@example.com", "Ada Admin", roles=("admin",), password="correct-horse-battery")
        accounts.create_user("trainer@example.com", "Tina", roles=("trainer",), password="correct-horse-battery")
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "admin@example.com", "password": "correct-horse-battery"})
        page = client.get("/admin/content").get_data(as_text=True)
        assert "Run the content sync" in page and str(courses_dir) in page
        first = client.post("/admin/content", follow_redirects=True).get_data(as_text=True)
        assert "Content sync finished." in first and "modules: 2 added" in first
        module = db.session.scalar(select(Module).where(Module.slug == "intro"))
        # A trainer edits the module in the browser, then the file changes too: the sync reports a conflict.
        client.post("/logout")
        client.post("/login", data={"email": "trainer@example.com", "password": "correct-horse-battery"})
        client.post("/authoring/test-course/modules/intro/edit", data={
            "title": "Introduction", "minutes": "10", "body": "Browser text.", "base_revision": ""})
        content_factory.write(courses_dir / "test-course" / "01-intro.md",
                              content_factory.module_md("Introduction", 10, "File text."))
        client.post("/logout")
        client.post("/login", data={"email": "admin@example.com", "password": "correct-horse-battery"})
        second = client.post("/admin/content").get_data(as_text=True)
        assert "Conflicts" in second and "intro" in second
        db.session.expire_all()
        assert db.session.get(Module, module.id).body == "Browser text."
        # Broken files: every error listed, nothing written.
        content_factory.write(courses_dir / "test-course" / "course.md", "---\ntitle: [unclosed\n---\n")
        broken = client.post("/admin/content")
        assert broken.status_code == 422 and "nothing was written" in broken.get_data(as_text=True)


def test_admin_sync_is_for_admins_only(app, client, login, trainer):
    login("tina@example.com")
    assert client.get("/admin/content").status_code == 403
    assert client.post("/admin/content").status_code == 403
