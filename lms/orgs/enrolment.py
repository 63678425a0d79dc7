"""Bulk enrolment from CSV: validate every row first, then import all or nothing."""
import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.auth import accounts
from lms.auth.models import ROLES, User
from lms.auth.roles import role_label
from lms.orgs.models import Organisation

COLUMNS = ("email", "name", "role", "cohort")


@dataclass
class EnrolRow:
    line: int
    email: str
    name: str
    role: str
    cohort: str
    exists: bool = False


@dataclass
class EnrolPlan:
    rows: list[EnrolRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line N: reason"
    new_cohorts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode_csv(data: bytes, max_bytes: int) -> str:
    """The upload as text, or ValueError with a message for a person."""
    if len(data) > max_bytes:
        raise ValueError(str(_l("The file is too large: at most %(kb)d KB.", kb=max_bytes // 1024)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(str(_l(
            "The file is not UTF-8 text (byte %(pos)d). Save it from your spreadsheet as “CSV UTF-8”.",
            pos=exc.start + 1,
        ))) from exc


def plan_enrolment(text: str, organisation: Organisation, max_rows: int) -> EnrolPlan:
    """Check every row of `text` against the rules; nothing is written."""
    plan = EnrolPlan()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("email", "name") if c not in header]
    if missing:
        plan.errors.append(str(_l("line 1: the header must name the columns %(cols)s; missing: %(missing)s",
                                  cols=", ".join(COLUMNS), missing=", ".join(missing))))
        return plan
    reader.fieldnames = header
    existing_cohorts = {c.name.lower() for c in organisation.cohorts}
    seen: dict[str, int] = {}
    try:
        _plan_rows(plan, reader, organisation, max_rows, existing_cohorts, seen)
    except csv.Error:  # the csv module gives up on the whole file: say where (line_num: the last row read)
        plan.errors.append(str(_l("line %(line)d: this row cannot be read as CSV (a field longer than 131,072 "
                                  "characters, a NUL character or an unclosed quote)", line=reader.line_num + 1)))
    return plan


def _plan_rows(plan, reader, organisation, max_rows, existing_cohorts, seen):
    """Check each record; raises csv.Error for a row the csv module cannot read."""
    for record in reader:
        line = reader.line_num
        if len(plan.rows) >= max_rows:
            plan.errors.append(str(_l("line %(line)d: too many rows; at most %(n)d per file", line=line, n=max_rows)))
            break
        values = {k: (record.get(k) or "").strip() for k in COLUMNS}
        if not any(values.values()):
            continue
        row = EnrolRow(line, values["email"], values["name"], values["role"] or "learner", values["cohort"])
        problem = _row_problem(row, organisation, seen)
        if problem:
            plan.errors.append(str(_l("line %(line)d: %(problem)s", line=line, problem=problem)))
            continue
        seen[row.email] = line
        row.exists = User.by_email(row.email) is not None
        if row.cohort and row.cohort.lower() not in existing_cohorts and row.cohort not in plan.new_cohorts:
            plan.new_cohorts.append(row.cohort)
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        plan.errors.append(str(_l("The file has no rows to import.")))
    return plan


def _row_problem(row: EnrolRow, organisation: Organisation, seen: dict) -> str | None:
    try:
        row.email = accounts.normalise_email(row.email)
    except accounts.AccountError as exc:
        return str(exc)
    if row.email in seen:
        return str(_l("%(email)s is already on line %(line)d", email=row.email, line=seen[row.email]))
    if not row.name:
        return str(_l("the name is empty"))
    if len(row.name) > 200:
        return str(_l("the name is longer than 200 characters"))
    if row.role not in ROLES or row.role == "admin":
        return str(_l("unknown role “%(role)s” (use one of: %(roles)s)", role=row.role,
                      roles=", ".join(f"{r} ({role_label(r)})" for r in ROLES if r != "admin")))
    if row.cohort and not organisation.is_its:
        return str(_l("cohorts exist only in ITS foundations; leave the cohort empty"))
    if len(row.cohort) > 100:
        return str(_l("the cohort name is longer than 100 characters"))
    return None


def apply_plan(plan: EnrolPlan, organisation: Organisation, now, lifetime):
    """Import a plan that has no errors; returns [(user, invitation token or None)] for the mails."""
    from lms.orgs import people

    if not plan.ok:
        raise ValueError("refusing to import a plan with errors")
    invited = []
    for row in plan.rows:
        user, token = people.invite_person(row.email, row.name, row.role, organisation, "member", now, lifetime)
        if row.cohort:
            people.add_to_cohort(people.get_or_create_cohort(organisation, row.cohort), user)
        invited.append((user, token))
    return invited
