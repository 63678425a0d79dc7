"""The labs loader: lab files -> labs, in the content sync's transaction.

Labs are matched by slug. A lab made from a file whose file is gone is archived (its sessions and bookings
stay) and comes back with its file; labs made otherwise (file_hash None) are never archived by a sync.
"""
from datetime import datetime

from sqlalchemy import select

from lms.content.loading import Loader, SyncReport
from lms.extensions import db
from lms.labs.files import lab_values, read_labs
from lms.labs.models import Lab


def apply(content, report: SyncReport, *, force: bool, now: datetime):
    """Upsert labs by slug; archive file-made labs whose file is gone; bring back those that return.
    `force` does not apply: labs are not edited in the browser."""
    labs = content["labs"]
    existing = {lab.slug: lab for lab in db.session.scalars(select(Lab))}
    for item in labs:
        lab = existing.get(item.slug)
        new_hash = item.content_hash
        if lab is None:
            lab = Lab(slug=item.slug)
            db.session.add(lab)
            action = "added"
        elif lab.file_hash == new_hash:
            if lab.archived_at is not None:
                lab.archived_at = None
                report.count("labs", "restored")
            else:
                report.count("labs", "unchanged")
            continue
        else:
            action = "restored" if lab.archived_at is not None else "updated"
        for name, value in lab_values(item).items():
            setattr(lab, name, value)
        lab.archived_at = None
        lab.file_hash = new_hash
        report.count("labs", action)
    in_files = {item.slug for item in labs}
    for lab in existing.values():
        if lab.slug not in in_files and lab.file_hash is not None and lab.archived_at is None:
            lab.archived_at = now
            report.count("labs", "archived")


LOADER = Loader(
    "labs", order=30, folder="labs", config_key="LABS_DIR",
    folder_help="Folder of lab files (default: LABS_DIR, the project's labs/).",
    kinds=("labs",), read=read_labs, apply=apply, describe=lambda labs: f"{len(labs)} labs")
