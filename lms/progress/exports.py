"""CSV and XLSX of progress rows. Every text cell goes through rules.neutralise_cell, so a name like
"=HYPERLINK(...)" is shown as text and never runs as a formula in a spreadsheet."""
import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from lms.progress.rules import neutralise_cell

COLUMNS = ("name", "email", "course", "language", "enrolled_at", "modules_done", "modules_total", "percent",
           "best_score", "final_score", "attempts", "labs_attended", "lab_no_shows", "last_activity",
           "completed_at")


def _iso(value):
    return value.isoformat() if value else ""


def row_values(row) -> list:
    return [row.name, row.email, row.course_slug, row.course_language, _iso(row.enrolled_at), row.done, row.total,
            row.percent, round(row.best_score * 100) if row.best_score is not None else "",
            round(row.final_score * 100) if row.final_score is not None else "", row.attempts, row.attended,
            row.no_shows, _iso(row.last_activity), _iso(row.completed_at)]


def to_csv(header: Iterable[str], lines: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens accents right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(header))
    for values in lines:
        writer.writerow([neutralise_cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: Iterable[str], lines: Iterable[list], title: str = "Progress") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(header))
    for values in lines:
        sheet.append([neutralise_cell(v) for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_file(rows, fmt: str) -> bytes:
    lines = (row_values(r) for r in rows)
    return to_xlsx(COLUMNS, lines) if fmt == "xlsx" else to_csv(COLUMNS, lines)


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
