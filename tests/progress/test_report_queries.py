"""The report's aggregates (headcount, per-course summaries) agree with the learner x course rows they
summarise: they are written for speed on 10,000 learners (grouped over the enrolments' index, a join for the
scope, one statement for the attention lists), so their figures are checked here against the rows, person by
person."""
from datetime import timedelta

from lms.extensions import db
from lms.progress import access, queries
from tests.progress.factories import NOW


def _scope_ids(organisation):
    return set(db.session.scalars(access.organisation_scope(organisation)))


def test_organisation_scope_is_its_learners_once(world):
    p = world.people
    # manager_a also learns, so is in company A's report; ITS staff and the manager of B are not learners.
    assert _scope_ids(world.orgs["a"]) == {p["manager_a"].id, p["ada"].id, p["bruno"].id}
    assert _scope_ids(world.orgs["x"]) == {p["dario"].id, p["elsa"].id}
    assert _scope_ids(world.orgs["b"]) == {p["carla"].id}
    rows = list(db.session.execute(access.organisation_scope(world.orgs["a"])))
    assert len(rows) == 3  # a join: no person twice


def test_headcount_matches_the_rows(world):
    for key, expected in (("a", {"people": 3, "active_ever": 2, "inactive": 1}),  # manager_a: never enrolled
                          ("x", {"people": 2, "active_ever": 2, "inactive": 1})):  # dario: nothing for 30 days
        scope = access.organisation_scope(world.orgs[key])
        counted = queries.headcount(scope, queries.Filters(), NOW)
        assert counted == expected
        rows = queries.rows(scope, now=NOW)
        last = {}
        for r in rows:
            last[r.user_id] = max(last.get(r.user_id, r.last_activity), r.last_activity)
        recent = sum(1 for when in last.values() if when >= NOW - timedelta(days=14))
        assert counted["active_ever"] == len(last)
        assert counted["inactive"] == counted["people"] - recent


def test_course_summaries_count_lab_attendees_per_enrolment(world):
    scope = access.organisation_scope(world.orgs["a"])
    summaries = {s.slug: s for s in queries.course_summaries(scope, queries.Filters(), NOW)}
    basics = summaries["industry-basics"]
    rows = [r for r in queries.rows(scope, now=NOW) if r.course_slug == "industry-basics"]
    assert (basics.enrolled, basics.completed) == (2, 1)
    assert basics.attended == sum(1 for r in rows if r.attended) == 1  # ada attended; bruno booked nothing
    assert basics.mean_percent == int(sum(r.done * 100 / r.total for r in rows) / len(rows)) > 0
    scored = [r.best_score for r in rows if r.best_score is not None]
    assert basics.scored == len(scored) and abs(basics.mean_score - sum(scored) / len(scored)) < 1e-9
    x = {s.slug: s for s in queries.course_summaries(access.organisation_scope(world.orgs["x"]), queries.Filters(),
                                                     NOW)}
    assert x["industry-basics"].attended == 0  # elsa's booking was a no-show


def test_attention_lists_the_few_people_with_their_names(world):
    p = world.people
    x = queries.attention(access.organisation_scope(world.orgs["x"]), queries.Filters(), NOW)
    # dario: nothing for 30 days and a course to finish; elsa: active 4 days ago, but a lab no-show.
    assert [(uid, name, email) for uid, name, email, _last in x["inactive"]] == [
        (p["dario"].id, p["dario"].name, "dario@example.com")]
    assert x["inactive"][0][3] < NOW - timedelta(days=14)
    assert [row[0] for row in x["no_show"]] == [p["elsa"].id]
    a = queries.attention(access.organisation_scope(world.orgs["a"]), queries.Filters(), NOW)
    # bruno failed his quiz twice (mean best 0); ada passed everything; the list is ordered by the mean.
    assert [(row[0], row[2], row[3]) for row in a["failing"]] == [(p["bruno"].id, "bruno@example.com", 0.0)]
    assert a["inactive"] == []
    assert queries.attention(access.organisation_scope(world.orgs["a"]), queries.Filters(), NOW, limit=0) == {
        "inactive": [], "failing": [], "no_show": []}


def test_count_rows_is_the_number_of_rows(world):
    for key, filters in (("a", queries.Filters()), ("x", queries.Filters()),
                         ("x", queries.Filters(course_id=world.course_it.id)),
                         ("x", queries.Filters(cohort_id=world.cohorts["x1"].id, course_id=world.course.id)),
                         ("y", queries.Filters(cohort_id=world.cohorts["x1"].id))):
        scope = access.organisation_scope(world.orgs[key])
        assert queries.count_rows(scope, filters, NOW) == len(queries.rows(scope, filters, NOW))
        for group_editions in (False, True):  # the report counts its rows from the summaries
            summaries = queries.course_summaries(scope, filters, NOW, group_editions=group_editions)
            assert sum(s.enrolled for s in summaries) == queries.count_rows(scope, filters, NOW)
    assert queries.count_rows(access.organisation_scope(world.orgs["x"]), queries.Filters(), NOW) == 3


def test_the_charts_and_attention_lists_count_published_courses_only_as_the_rows_do(world):
    scope = access.organisation_scope(world.orgs["x"])
    before = queries.attention(scope, queries.Filters(), NOW)
    assert before["inactive"]  # dario, as above
    for course in (world.course, world.course_it):
        course.is_published = False  # withdrawn: the rows and summaries no longer show it
    db.session.flush()
    assert queries.rows(scope, now=NOW) == []
    after = queries.attention(scope, queries.Filters(), NOW)
    assert after["inactive"] == [] and after["failing"] == []
    assert after["no_show"] == before["no_show"]  # lab no-shows are not about a course
    charts = queries.charts(scope, queries.Filters(), NOW)
    assert sum(n for _week, n in charts["weeks"]) == 0 and sum(charts["scores"]) == 0
