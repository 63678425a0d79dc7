"""Differences between two module revisions, as an accessible unified HTML table (everything escaped).

A unified table reads in order with a screen reader, and each changed line says in words whether it was
removed or added; colour is only a second cue.
"""
import difflib
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select

from lms.courses.models import Module, ModuleRevision
from lms.extensions import db

CONTEXT_LINES = 3


@dataclass
class DiffLine:
    kind: str  # "same" | "del" | "add" | "gap"
    old_no: int | None
    new_no: int | None
    text: str


def diff_lines(old: str, new: str, context: int = CONTEXT_LINES) -> list[DiffLine]:
    """The changed lines of `new` against `old` with `context` unchanged lines around each change."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1)]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("del", i + 1, None, a[i]) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("add", None, j + 1, b[j]) for j in range(j1, j2)]
    return lines


def diff_table(old: str, new: str, caption: str) -> Markup:
    """An HTML table of the line differences, with a caption; every piece of text is escaped."""
    lines = diff_lines(old, new)
    if not lines:
        return Markup('<p class="text-muted">{}</p>').format(_("The text is the same in both revisions."))
    labels = {"del": _("removed"), "add": _("added"), "same": _("unchanged")}
    signs = {"del": "−", "add": "+", "same": ""}
    rows = []
    for line in lines:
        if line.kind == "gap":
            rows.append(Markup('<tr class="diff-gap"><td colspan="4" class="text-muted small">{}</td></tr>')
                        .format(_("… unchanged lines …")))
            continue
        # Bootstrap's row colours: a plain background on <tr> is hidden by the cells' own.
        css = {"del": "diff-del table-danger", "add": "diff-add table-success", "same": ""}[line.kind]
        rows.append(Markup(
            '<tr class="{css}"><td class="text-muted text-end small">{old}</td>'
            '<td class="text-muted text-end small">{new}</td>'
            '<td aria-hidden="true">{sign}</td>'
            '<td><span class="visually-hidden">{label}: </span><pre class="diff-text mb-0">{text}</pre></td></tr>'
        ).format(css=css, old=line.old_no or "", new=line.new_no or "", sign=signs[line.kind],
                 label=labels[line.kind], text=line.text))
    head = Markup(
        '<thead><tr><th scope="col" class="text-end">{}</th><th scope="col" class="text-end">{}</th>'
        '<th scope="col"><span class="visually-hidden">{}</span></th><th scope="col">{}</th></tr></thead>'
    ).format(_("Old line"), _("New line"), _("Change"), _("Text"))
    return Markup('<table class="table table-sm diff"><caption class="caption-top">{}</caption>{}<tbody>{}</tbody></table>').format(
        escape(caption), head, Markup("").join(rows))


def get_revision_or_404(module: Module, number: int) -> ModuleRevision:
    from flask import abort

    revision = db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.module_id == module.id, ModuleRevision.number == number)
    )
    return revision or abort(404)


def previous_revision(revision: ModuleRevision) -> ModuleRevision | None:
    return db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.module_id == revision.module_id,
                                     ModuleRevision.number < revision.number)
        .order_by(ModuleRevision.number.desc()).limit(1)
    )
