"""Reading: the catalogue, a course page, a module page, enrolment and course media (the learner's "my learning"
page is the progress feature's, at /progress/me)."""
from functools import lru_cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms import unit_of_work
from lms.auth.decorators import role_required
from lms.auth.models import User
from lms.courses import access, enrolment, reading
from lms.courses.blueprint import bp, media_base, trainer_links
from lms.courses.catalogue import catalogue as find_courses
from lms.courses.forms import ALSO_IN, AUDIENCE_LABELS, LANGUAGE_LABELS
from lms.courses.models import AUDIENCES, Course
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.http import flash_refusal
from lms.ids import MAX_ID
from lms.pagecache import cached_page
from lms.render import render, table_of_contents


@lru_cache(maxsize=512)
def _contents(body: str) -> tuple:
    """The module's table of contents, kept like render()'s output so that a page view does not parse again."""
    return tuple(table_of_contents(body))


@bp.get("/courses/")
@cached_page
def catalogue():
    q = request.args.get("q", "").strip()[:200]
    audience = request.args.get("audience", "")
    audience = audience if audience in AUDIENCES else ""
    language = request.args.get("language", "")
    language = language if language in LANGUAGE_LABELS else ""
    found = find_courses(q, audience or None, language or None, reader_language=str(get_locale()))
    progress = reading.progress_by_course(current_user, [e.course for e in found.entries])
    offered = set(found.languages) | {language}
    return render_template("courses/catalogue.html", entries=found.entries, q=q, audience=audience, language=language,
                           audiences=AUDIENCE_LABELS, progress=progress,
                           languages={k: label for k, label in LANGUAGE_LABELS.items() if k in offered})


def _prerequisite_links(course) -> list[tuple[str, str | None]]:
    """[(text, URL or None)]: a prerequisite that is the slug of a course the person can see becomes a link."""
    texts = course.prerequisites or []
    if not texts:
        return []
    # One statement for all of them (it was one per prerequisite).
    found = {c.slug: c for c in db.session.scalars(select(Course).where(Course.slug.in_({t.strip() for t in texts})))}
    links = []
    for text in texts:
        other = found.get(text.strip())
        if other is not None and access.can_see_course(current_user, other):
            links.append((other.title, url_for("courses.course", slug=other.slug)))
        else:
            links.append((text, None))
    return links


@bp.get("/courses/<slug>")
@cached_page
def course(slug):
    # The course, its other editions and the reader's enrolment in one statement; then the syllabus (with the
    # summaries it shows, not the bodies) and what the reader completed in another.
    course, enrolled, editions = reading.course_and_editions(slug, current_user)
    if course is None or not access.can_see_course(current_user, course):
        abort(404)  # a draft's existence is not revealed, as access.get_course_or_404
    done = reading.syllabus(course, current_user)
    modules = access.visible_modules(current_user, course)
    role = request.args.get("role", "")
    role = role if role in AUDIENCES else ""
    shown = [m for m in modules if role in m.effective_audience] if role else modules
    roles_here = [a for a in AUDIENCES if any(a in m.effective_audience for m in modules)]
    live = course.live_modules
    manages_staff = current_user.is_authenticated and (
        current_user.is_admin or (current_user.has_role("company_manager") and enrolment.staff_of(current_user)))
    return render_template(
        "courses/course.html", course=course, modules=shown, all_count=len(modules), role=role, roles_here=roles_here,
        audiences=AUDIENCE_LABELS, enrolment=enrolled,
        progress=reading.progress([m.id for m in live], done) if enrolled else None, completed=done,
        resume=reading.resume(enrolled, live, done) if enrolled else None,
        description=render(course.description, base_url=media_base(course)),
        trainers=trainer_links(course), prerequisites=_prerequisite_links(course),
        can_author=access.can_author(current_user, course), manages_staff=manages_staff,
        language_label=LANGUAGE_LABELS.get(course.language, course.language),
        syllabus_key=reading.syllabus_key(shown, done),
        # (slug, language, title, "Also in ...") of each: the values the page shows, and its fragment's key
        editions=tuple((other.slug, other.language, other.title, str(ALSO_IN.get(other.language, other.language)))
                       for other in editions if access.can_see_course(current_user, other)),
    )


@bp.get("/courses/<slug>/<module_slug>")
@login_required
@cached_page
def module(slug, module_slug):
    course, module = access.get_module_page_or_404(slug, module_slug, current_user)
    modules = access.visible_modules(current_user, course)
    index = modules.index(module) if module in modules else None
    previous = modules[index - 1] if index else None
    following = modules[index + 1] if index is not None and index + 1 < len(modules) else None
    enrolled = enrolment.get_enrolment(current_user, course)
    if enrolment.record_visit(enrolled, module):
        # "Resume where I left off": the page's one deliberate write, a single row and only when the reader
        # moves to another module (lms.unit_of_work).
        unit_of_work.write_on_read()
    done = enrolment.completed_module_ids(current_user, course)
    return render_template(
        "courses/module.html", course=course, module=module, previous=previous, following=following,
        position=(index + 1) if index is not None else None, count=len(modules),
        body=render(module.body, base_url=media_base(course)), toc=_contents(module.body or ""),
        enrolment=enrolled, audiences=AUDIENCE_LABELS, is_complete=module.id in done,
        progress=reading.progress([m.id for m in course.live_modules], done) if enrolled else None,
        can_author=access.can_author(current_user, course),
    )


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug):
    course = access.get_course_or_404(slug, current_user)
    try:
        enrolment.enrol(current_user, course, now=utcnow())
    except enrolment.EnrolmentError as exc:
        flash_refusal(exc)
    else:
        flash(_("You are enrolled in “%(title)s”. Your progress is saved as you read.", title=course.title), "success")
    return redirect(url_for("courses.course", slug=course.slug))


@bp.post("/courses/<slug>/<module_slug>/complete")
@login_required
def complete(slug, module_slug):
    course = access.get_course_or_404(slug, current_user)
    module = access.get_module_or_404(course, module_slug, current_user)
    gate = enrolment.completion_gate(course, module)
    if gate is not None:
        flash(gate[0], "info")
        return redirect(gate[1])
    try:
        enrolment.mark_complete(current_user, module, utcnow())
    except enrolment.EnrolmentError as exc:
        flash_refusal(exc)
    else:
        done, total, _percent = enrolment.course_progress(current_user, course)
        if done == total:
            flash(_("Module complete. You have completed every module of this course: well done!"), "success")
        else:
            flash(ngettext("Module complete: %(done)d of %(num)d module done.",
                           "Module complete: %(done)d of %(num)d modules done.", total, done=done), "success")
    return redirect(url_for("courses.module", slug=course.slug, module_slug=module.slug))


@bp.route("/courses/<slug>/enrol-staff", methods=["GET", "POST"])
@role_required("company_manager")
def enrol_staff(slug):
    """A company manager enrols members of the organisations they manage; an admin, members of any organisation."""
    course = access.get_course_or_404(slug, current_user)
    groups = enrolment.staff_of(current_user)
    if request.method == "POST":
        ids = {int(v) for v in request.form.getlist("users") if v.isdigit()}
        if not ids:
            flash(_("Tick at least one person to enrol."), "danger")
        else:
            added, refused = 0, set()
            found = list(db.session.scalars(select(User).where(User.id.in_([i for i in ids if i <= MAX_ID]))))
            if len(found) < len(ids):  # an id that is no account is refused like a person one may not enrol
                refused.add(str(enrolment.NOT_YOURS))
            for user in found:
                already = enrolment.get_enrolment(user, course) is not None
                try:
                    enrolment.enrol(user, course, by=current_user, now=utcnow())
                except enrolment.EnrolmentError as exc:
                    refused.add(str(exc))  # messages name nobody: a set shows each once
                else:
                    added += 0 if already else 1
            if added:
                flash(ngettext("%(num)d person enrolled in “%(title)s”.", "%(num)d people enrolled in “%(title)s”.",
                               added, title=course.title), "success")
            for message in sorted(refused):
                flash(message, "danger")
            if not refused:
                return redirect(url_for("courses.enrol_staff", slug=course.slug))
    # Who is enrolled, and how far: one statement for the whole list (the figures recompute keeps).
    progress = enrolment.progress_figures(course.id, {u.id for _o, people in groups for u in people})
    return render_template("courses/enrol_staff.html", course=course, groups=groups, progress=progress)


@bp.get("/courses/<slug>/files/<path:path>")
def media(slug, path):
    """An image of a course, from its folder or the editor's uploads (a draft's images: its authors only)."""
    from lms.courses.media import media_response

    course = access.get_course_or_404(slug, current_user)
    return media_response(course.slug, path)
