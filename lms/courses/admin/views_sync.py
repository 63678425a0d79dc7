"""Admin: run the content sync of the configured folders from the browser and read its report."""
from flask import current_app, flash, render_template, request
from flask_babel import gettext as _

from lms.auth.decorators import admin_required
from lms.content import loading
from lms.courses.blueprint import bp
from lms.dbtypes import utcnow


@bp.route("/admin/content", methods=["GET", "POST"])
@admin_required
def admin_sync():
    """GET: the folders and a button; POST: run `lms content sync` on them and show the report."""
    folders = loading.configured_folders(current_app.config)
    report = None
    if request.method == "POST":
        force = request.form.get("force") == "1"
        # Committed by the request if the files have no errors; the 422 rolls everything back otherwise.
        report = loading.sync_content(force=force, now=utcnow(), **folders)
        if report.errors:
            flash(_("The files have errors, so nothing was changed. Fix them and run the sync again."), "danger")
        else:
            flash(_("Content sync finished.") if report.changed else _("Content sync finished: nothing changed."),
                  "success")
    return render_template("courses/admin_sync.html", folders=folders, report=report), \
        (422 if report is not None and report.errors else 200)
