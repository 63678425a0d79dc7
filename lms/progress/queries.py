"""The one progress query: learner x course rows and their aggregates, set-wise.

Every page, export and API answer about progress goes through here. Each function runs a fixed number of
SQL statements whatever the number of learners (tests count them), so a foundation of 10,000 learners costs
the same number of round trips as one of ten. A *scope* is a SELECT of user ids (lms.progress.access builds
it from what the caller may see); filters narrow it.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Integer, and_, case, cast, func, literal, null, select, union_all

from lms.auth.models import User, UserRole
from lms.courses.models import Course, Enrolment, Module
from lms.extensions import db
from lms.labs.models import ATTENDED, CONFIRMED, NO_SHOW, Booking, LabSession
from lms.orgs.models import CohortMember
from lms.progress import rules
from lms.progress.completion import live_module_filter


@dataclass
class Filters:
    """What a report is narrowed to; every field optional. `inactive_days`: no activity for that long."""

    cohort_id: int | None = None
    course_id: int | None = None
    role: str | None = None
    inactive_days: int | None = None


@dataclass
class Row:
    """One learner in one course."""

    user_id: int
    name: str
    email: str
    course_id: int
    course_slug: str
    course_title: str
    course_language: str
    edition_of: str  # the original course's slug: editions of one course share it
    enrolled_at: datetime
    completed_at: datetime | None
    done: int = 0
    total: int = 0
    best_score: float | None = None  # mean of the best score of each quiz attempted, 0..1
    final_score: float | None = None
    attempts: int = 0
    attended: int = 0
    no_shows: int = 0
    last_activity: datetime | None = None
    upcoming: int = 0  # confirmed bookings of sessions still to come
    last_module_id: int | None = None  # the module read last (own rows only: lms.progress.own)

    @property
    def percent(self) -> int:
        return rules.percent(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def attention(self, now: datetime, inactive_days: int = 14) -> list[str]:
        return rules.needs_attention(last_activity=self.last_activity, best_score=self.best_score,
                                     attempts=self.attempts, no_shows=self.no_shows, completed=self.is_complete,
                                     now=now, inactive_days=inactive_days)


# Building blocks ---------------------------------------------------------------------------------------

def required_module_filter():
    """The modules a course's progress counts: live and not optional."""
    return and_(live_module_filter(), Module.is_optional.is_(False))


def required_totals():
    """(course_id, total): live, non-optional modules per course."""
    return (select(Module.course_id, func.count(Module.id).label("total"))
            .where(required_module_filter()).group_by(Module.course_id))


def _in_scope(scope, filters: Filters, now: datetime) -> list:
    """Conditions on users' columns: in the scope, active, and narrowed by cohort, role and inactivity."""
    conditions = [User.id.in_(scope), User.is_active.is_(True)]
    if filters.cohort_id is not None:
        conditions.append(User.id.in_(select(CohortMember.user_id).where(CohortMember.cohort_id == filters.cohort_id)))
    if filters.role:
        conditions.append(User.id.in_(select(UserRole.user_id).where(UserRole.role == filters.role)))
    if filters.inactive_days:
        cutoff = now - timedelta(days=filters.inactive_days)
        conditions.append(~User.id.in_(select(Enrolment.user_id).where(Enrolment.last_activity_at >= cutoff)))
    return conditions


def scoped_users(scope, filters: Filters, now: datetime):
    """The scope narrowed by cohort, role and inactivity: a SELECT of user ids."""
    return select(User.id).where(*_in_scope(scope, filters, now))


def _enrolment_query(scope, filters: Filters, now: datetime):
    # The people are joined for their names anyway, so the scope's conditions apply to them directly: an IN over
    # scoped_users read the users table a second time (PostgreSQL hashed all of it; 36 -> 22 ms for 10,000).
    query = (select(Enrolment.user_id, User.name, User.email, Course.id, Course.slug, Course.title, Course.language,
                    Course.translation_of, Enrolment.enrolled_at, Enrolment.completed_at, Enrolment.modules_done,
                    Enrolment.quiz_best, Enrolment.final_best, Enrolment.quiz_attempts, Enrolment.last_activity_at)
             .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
             .where(*_in_scope(scope, filters, now), Course.is_published.is_(True)))
    if filters.course_id is not None:
        query = query.where(Course.id == filters.course_id)
    return query


def course_progress(course_id: int, user_ids) -> dict[int, tuple[int, int, int]]:
    """{user id: (required modules done, required modules, percent)} for those of `user_ids` enrolled in the
    course; the others are absent. One statement, from the figures recompute keeps on each enrolment, so a
    page listing a whole staff costs the same as one listing a single person."""
    totals = required_totals().where(Module.course_id == course_id).subquery()
    query = (select(Enrolment.user_id, Enrolment.modules_done, totals.c.total)
             .outerjoin(totals, totals.c.course_id == Enrolment.course_id)
             .where(Enrolment.course_id == course_id, Enrolment.user_id.in_(list(user_ids))))
    return {user_id: (done, total or 0, rules.percent(done, total or 0))
            for user_id, done, total in db.session.execute(query)}


# Rows ----------------------------------------------------------------------------------------------------

def count_rows(scope, filters: Filters, now: datetime) -> int:
    """How many rows `rows` gives without a limit. Counted over the enrolments and their courses only (the
    join to users in `rows` is for the names, and every enrolment has its person)."""
    query = (select(func.count()).select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
             .where(Enrolment.user_id.in_(scoped_users(scope, filters, now)), Course.is_published.is_(True)))
    if filters.course_id is not None:
        query = query.where(Course.id == filters.course_id)
    return db.session.scalar(query)


def rows(scope, filters: Filters | None = None, now: datetime | None = None, *, limit: int | None = None,
         offset: int = 0) -> list[Row]:
    """Learner x course rows of the scope, by name then course; a page when `limit` is given.

    Three statements whatever the size of the scope: the enrolments with their figures (paged), the courses'
    module totals, and the lab bookings of the people on the page.
    """
    filters = filters or Filters()
    query = _enrolment_query(scope, filters, now).order_by(User.name, User.id, Course.title)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    result = [Row(user_id=r[0], name=r[1], email=r[2], course_id=r[3], course_slug=r[4], course_title=r[5],
                  course_language=r[6], edition_of=r[7] or r[4], enrolled_at=r[8], completed_at=r[9], done=r[10],
                  best_score=r[11], final_score=r[12], attempts=r[13], last_activity=r[14] or r[8])
              for r in db.session.execute(query)]
    if result:
        fill(result, now)
    return result


def fill(result: list[Row], now: datetime | None):
    """Module totals and lab bookings for the rows (two statements for any number of rows)."""
    totals = dict(db.session.execute(required_totals()).all())
    for r in result:
        r.total = totals.get(r.course_id, 0)
    people = defaultdict(lambda: [0, 0, 0])
    booking_rows = db.session.execute(
        select(Booking.user_id, Booking.status, LabSession.starts_at).join(LabSession, LabSession.id == Booking.session_id)
        .where(Booking.user_id.in_(sorted({r.user_id for r in result})),
               Booking.status.in_((ATTENDED, NO_SHOW, CONFIRMED))))
    for user_id, status, starts_at in booking_rows:
        if status == ATTENDED:
            people[user_id][0] += 1
        elif status == NO_SHOW:
            people[user_id][1] += 1
        elif now is not None and starts_at >= now:
            people[user_id][2] += 1
    for r in result:
        r.attended, r.no_shows, r.upcoming = people[r.user_id]


# Aggregates for dashboards and charts --------------------------------------------------------------------

@dataclass
class CourseSummary:
    course_id: int
    slug: str
    title: str
    language: str
    edition_of: str
    enrolled: int = 0
    completed: int = 0
    percent_sum: float = 0.0
    score_sum: float = 0.0
    scored: int = 0
    attended: int = 0
    editions: list = field(default_factory=list)

    @property
    def mean_percent(self) -> int:
        return int(self.percent_sum / self.enrolled) if self.enrolled else 0

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def completion_rate(self) -> int:
        return rules.percent(self.completed, self.enrolled)


def course_summaries(scope, filters: Filters, now: datetime, group_editions: bool = False) -> list[CourseSummary]:
    """Per course (or per original course, editions together): enrolled, completed, mean progress, mean best
    score and people who attended a lab. One statement: the scope's enrolments are grouped by course over the
    enrolments' index alone, and only the few groups are joined to their courses and module totals (joining
    every enrolment first cost a third more on SQLite for 18,000 enrolments)."""
    # IN the attendees: SQLite probes a list built once, PostgreSQL a hashed subplan. A join to the DISTINCT
    # attendees left SQLite scanning that list for every enrolment (seconds for 10,000 people), and a correlated
    # EXISTS cost PostgreSQL a plan expensive enough to be JIT-compiled on every request.
    attended = Enrolment.user_id.in_(select(Booking.user_id).where(Booking.status == ATTENDED))
    groups = (select(Enrolment.course_id, func.count().label("enrolled"), func.count(Enrolment.completed_at).label("done"),
                     func.sum(Enrolment.modules_done).label("modules"), func.sum(Enrolment.quiz_best).label("score_sum"),
                     func.count(Enrolment.quiz_best).label("scored"), func.count(case((attended, 1))).label("attended"))
              .where(Enrolment.user_id.in_(scoped_users(scope, filters, now))).group_by(Enrolment.course_id))
    if filters.course_id is not None:
        groups = groups.where(Enrolment.course_id == filters.course_id)
    groups = groups.subquery()
    totals = required_totals().subquery()
    # The sum of each enrolment's percent: its required modules are the course's, the same for every row.
    percent_sum = case((totals.c.total > 0, groups.c.modules * 100.0 / totals.c.total), else_=0.0)
    query = (select(Course.id, Course.slug, Course.title, Course.language, Course.translation_of, groups.c.enrolled,
                    groups.c.done, percent_sum, groups.c.score_sum, groups.c.scored, groups.c.attended)
             .join(groups, groups.c.course_id == Course.id).outerjoin(totals, totals.c.course_id == Course.id)
             .where(Course.is_published.is_(True)).order_by(Course.title))
    summaries = [CourseSummary(cid, slug, title, lang, of or slug, enrolled or 0, completed or 0, float(psum or 0),
                               float(ssum or 0), scored or 0, att or 0)
                 for cid, slug, title, lang, of, enrolled, completed, psum, ssum, scored, att
                 in db.session.execute(query)]
    if not group_editions:
        return summaries
    grouped: dict[str, CourseSummary] = {}
    for s in summaries:
        g = grouped.get(s.edition_of)
        if g is None:
            g = grouped[s.edition_of] = CourseSummary(s.course_id, s.edition_of, s.title, s.language, s.edition_of)
        if s.slug == s.edition_of:  # the original names the group
            g.course_id, g.title, g.language = s.course_id, s.title, s.language
        g.editions.append(s)
        for name in ("enrolled", "completed", "percent_sum", "score_sum", "scored", "attended"):
            setattr(g, name, getattr(g, name) + getattr(s, name))
    return sorted(grouped.values(), key=lambda g: g.title)


def headcount(scope, filters: Filters, now: datetime) -> dict:
    """People in the scope, those enrolled in anything, and those with no activity for the filter's inactive days
    (14 when it names none). One statement."""
    users = scoped_users(scope, filters, now).subquery()
    # Each person's latest activity (kept on the enrolment rows), the people outer-joined to their enrolments:
    # the scope is named once (grouping the scope's enrolments and joining back to the scope named it twice).
    activity = (select(func.max(Enrolment.last_activity_at).label("last")).select_from(users)
                .outerjoin(Enrolment, Enrolment.user_id == users.c.id).group_by(users.c.id).subquery())
    cutoff = now - timedelta(days=filters.inactive_days or 14)
    # "inactive": no activity, or none since the cutoff; people minus the recently active.
    people, active_ever, recent = db.session.execute(
        select(func.count(), func.count(activity.c.last), func.count(case((activity.c.last >= cutoff, 1))))
        .select_from(activity)).one()
    return {"people": people, "active_ever": active_ever, "inactive": people - recent}


def _published_course_ids():
    """The courses the report shows (its rows and summaries read published courses only): the charts and the
    attention lists count the same enrolments, so a withdrawn course never flags anyone as inactive or failing."""
    return select(Course.id).where(Course.is_published.is_(True))


def attention(scope, filters: Filters, now: datetime, limit: int = 10, inactive_days: int = 14) -> dict:
    """A few people who need a look, each list ordered and limited: no activity for `inactive_days` with a
    course still to finish (id, name, e-mail, latest activity), a mean best score under the pass mark (..., the
    mean), lab no-shows (..., how many).

    One statement: the scope is worked out once (a CTE), the figures are grouped over the enrolments' and the
    bookings' indexes alone, and only the few people listed are joined to their names."""
    people = select(scoped_users(scope, filters, now).cte("people").c.id)
    published = _published_course_ids()
    cutoff = now - timedelta(days=inactive_days)
    last, mean, shows = func.max(Enrolment.last_activity_at), func.avg(Enrolment.quiz_best), func.count(Booking.id)

    def columns(name, user_id, latest=None, mean_score=None, count=None):  # each list's row, named for the union
        return (literal(name).label("list"), user_id.label("user_id"),
                (cast(null(), Enrolment.last_activity_at.type) if latest is None else latest).label("last"),
                (cast(null(), Enrolment.quiz_best.type) if mean_score is None else mean_score).label("mean"),
                (cast(null(), Integer) if count is None else count).label("shows"))

    lists = [
        select(*columns("inactive", Enrolment.user_id, latest=last))
        .where(Enrolment.user_id.in_(people), Enrolment.course_id.in_(published)).group_by(Enrolment.user_id)
        .having(last < cutoff, func.count(Enrolment.completed_at) < func.count(Enrolment.user_id))
        .order_by(last, Enrolment.user_id).limit(limit),
        select(*columns("failing", Enrolment.user_id, mean_score=mean))
        .where(Enrolment.user_id.in_(people), Enrolment.course_id.in_(published), Enrolment.quiz_best.is_not(None))
        .group_by(Enrolment.user_id)
        .having(mean < 0.7).order_by(mean, Enrolment.user_id).limit(limit),
        select(*columns("no_show", Booking.user_id, count=shows))
        .where(Booking.status == NO_SHOW, Booking.user_id.in_(people)).group_by(Booking.user_id)
        .order_by(shows.desc(), Booking.user_id).limit(limit),
    ]
    listed = union_all(*(select(each.subquery()) for each in lists)).subquery()
    result = {"inactive": [], "failing": [], "no_show": []}
    for name, user_id, last_at, mean_score, count, person, email in db.session.execute(
            select(listed, User.name, User.email).join(User, User.id == listed.c.user_id)):
        result[name].append((user_id, person, email, {"inactive": last_at, "failing": mean_score}.get(name, count)))
    result["inactive"].sort(key=lambda row: (row[3], row[0]))
    result["failing"].sort(key=lambda row: (row[3], row[0]))
    result["no_show"].sort(key=lambda row: (-row[3], row[0]))
    return result


def charts(scope, filters: Filters, now: datetime, weeks: int = 12) -> dict:
    """The report's two charts: "weeks", [(ISO week start date, completions)] for the last `weeks` weeks, Monday
    to Monday in UTC; "scores", how many enrolments' mean best quiz scores fall in each tenth (0-9%, ..., 90-100%).

    One statement for both (the scope is worked out once), grouped in SQL: an enrolment's week is the first of
    the weeks' ends (bound values) its completion falls before, its tenth the first tenth's end its score is
    under. The statement is the same on SQLite and PostgreSQL and reads the enrolments' index, whatever the
    number of completions (fetching each completion to group it in Python cost ~26 ms for 10,000 learners)."""
    first = (now - timedelta(weeks=weeks - 1)).date()
    first -= timedelta(days=first.weekday())
    bounds = [datetime.combine(first + timedelta(weeks=i), time.min, UTC) for i in range(weeks + 1)]
    completed, best = Enrolment.completed_at, Enrolment.quiz_best
    in_weeks = (completed >= bounds[0]) & (completed < bounds[-1])
    week = case((in_weeks, case(*[(completed < bounds[i + 1], i) for i in range(weeks)])))
    # Compared with each tenth's end, not cast: a cast rounds on PostgreSQL (0.66 -> 7) and truncates on SQLite.
    tenth = case((best.is_(None), null()), *[(best < (i + 1) / 10, i) for i in range(9)], else_=9)
    query = select(week.label("week"), tenth.label("tenth")).where(
        Enrolment.user_id.in_(scoped_users(scope, filters, now)), Enrolment.course_id.in_(_published_course_ids()),
        in_weeks | best.is_not(None))
    if filters.course_id is not None:
        query = query.where(Enrolment.course_id == filters.course_id)
    each = query.subquery()  # grouped outside: PostgreSQL matches GROUP BY to the SELECT only without binds
    by_week, by_tenth = [0] * weeks, [0] * 10
    for week_index, tenth_index, count in db.session.execute(
            select(each.c.week, each.c.tenth, func.count()).group_by(each.c.week, each.c.tenth)):
        if week_index is not None:
            by_week[week_index] += count
        if tenth_index is not None:
            by_tenth[tenth_index] += count
    return {"weeks": [(bounds[i].date().isoformat(), by_week[i]) for i in range(weeks)], "scores": by_tenth}
