"""What the result page, the PDF and the API show of a version: figures, labels in the reader's language, the
recommended path. Reads only; never writes.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from lms.assessment import labs_link, rounds, scoring
from lms.assessment.models import Assessment
from lms.assessment.questionnaire import Dimension, Questionnaire
from lms.courses.models import Course, Module
from lms.extensions import db


@dataclass
class PathItem:
    kind: str  # "module" | "quiz" | "lab"
    title: str
    course_slug: str | None = None
    slug: str = ""
    sessions: list = field(default_factory=list)  # labs: upcoming sessions (labs_link.SessionInfo)


@dataclass
class DimensionView:
    dimension: Dimension
    name: str
    team: scoring.TeamDimension
    change: float | None = None
    baseline: float | None = None
    peers: scoring.BenchmarkDimension | None = None


@dataclass
class ResultView:
    assessment: Assessment
    result: scoring.TeamResult
    dimensions: list[DimensionView]
    stage: object  # questionnaire Stage or None
    strengths: list[DimensionView]
    priorities: list[DimensionView]
    baseline: Assessment | None
    peers_count: int
    benchmark: dict | None
    disputed: list[tuple[str, int, int]]  # (question text, low, high)
    baseline_overall: float | None = None

    def by_slug(self, slug) -> DimensionView:
        return next(d for d in self.dimensions if d.dimension.slug == slug)


def _live_module(course_slug: str, module_slug: str) -> Module | None:
    return db.session.scalar(
        select(Module).join(Course).where(Course.slug == course_slug, Module.slug == module_slug,
                                          Course.is_published, Module.is_published, Module.archived_at.is_(None)))


def edition_for(course_slug: str, locale) -> Course | None:
    """The published edition of a course in the reader's language (its translation_of names the course)."""
    language = str(locale or "")[:2]
    return db.session.scalar(select(Course).where(Course.translation_of == course_slug, Course.language == language,
                                                  Course.is_published))


def _module_for(course_slug: str, module_slug: str, locale) -> Module | None:
    """The module the file names, or the module at the same position of the reader's-language edition (editions
    number their modules like the original) when that edition has it live."""
    module = _live_module(course_slug, module_slug)
    edition = edition_for(course_slug, locale) if module is not None else None
    if edition is not None:
        same = next((m for m in edition.live_modules if m.position == module.position), None)
        if same is not None:
            return same
    return module


def path_for(dimension: Dimension, now, locale) -> list[PathItem]:
    """The modules, quizzes and labs that address `dimension`, as far as they are live on this platform."""
    items = []
    for ref in dimension.path.modules:
        module = _module_for(ref.course, ref.slug, locale)
        if module is not None:
            items.append(PathItem("module", module.title, module.course.slug, module.slug))
    for ref in dimension.path.quizzes:
        if ref.slug == "final":
            course = db.session.scalar(select(Course).where(Course.slug == ref.course, Course.is_published))
            if course is not None:
                items.append(PathItem("quiz", course.title, ref.course, "final"))
            continue
        module = _module_for(ref.course, ref.slug, locale)
        if module is not None:
            items.append(PathItem("quiz", module.title, module.course.slug, module.slug))
    for ref in dimension.path.labs:
        lab = labs_link.lab(ref.slug)
        if lab is not None:
            items.append(PathItem("lab", lab.text("name", str(locale)[:2]),
                                  None, ref.slug, labs_link.upcoming_sessions(lab, now)))
    return items


def course_slugs_for(questionnaire: Questionnaire, dimension_slugs, locale=None) -> list[str]:
    """The courses whose modules the chosen priorities name, in the file's order, each once; the edition in
    `locale`'s language where one is published."""
    slugs = []
    for slug in dimension_slugs:
        dimension = questionnaire.dimension(slug)
        for ref in dimension.path.modules if dimension else ():
            edition = edition_for(ref.course, locale) if locale else None
            chosen = edition.slug if edition is not None else ref.course
            if chosen not in slugs:
                slugs.append(chosen)
    return slugs


def result_view(assessment: Assessment, questionnaire: Questionnaire, locale) -> ResultView:
    result = rounds.result_of(assessment, questionnaire)
    history = rounds.rounds_history(assessment.organisation)
    baseline = next((a for a in history if a.round < assessment.round), None)
    before = rounds.result_of(baseline, questionnaire).scores if baseline is not None else {}
    peers = rounds.peer_scores(assessment.organisation, questionnaire)
    bench = scoring.benchmark(peers)
    delta = scoring.changes(before, result.scores) if baseline is not None else {}
    views = [DimensionView(d, d.name.for_locale(locale), result.dimensions[d.slug], delta.get(d.slug),
                           before.get(d.slug), (bench or {}).get(d.slug)) for d in questionnaire.dimensions]
    by_slug = {v.dimension.slug: v for v in views}
    strengths, priorities = scoring.strengths_and_priorities(result.scores)
    disputed = [(questionnaire.question(slug).text.for_locale(locale), low, high)
                for slug, low, high in result.disputed_questions if questionnaire.question(slug)]
    return ResultView(assessment, result, views, questionnaire.stage(result.stage),
                      [by_slug[s] for s in strengths], [by_slug[s] for s in priorities], baseline, len(peers),
                      bench, disputed, scoring.overall(before) if baseline is not None else None)


def chart_data(view: ResultView, labels: dict) -> dict:
    """What assessment.js draws: plain numbers and labels (sent as a data attribute, never as inline script)."""
    data = {
        "labels": [d.name for d in view.dimensions],
        "max": scoring.MAX_LEVEL,
        "series": [{"label": labels["team"], "data": [d.team.mean for d in view.dimensions], "kind": "team"}],
    }
    if view.baseline is not None:
        data["series"].append({"label": labels["baseline"], "data": [d.baseline for d in view.dimensions],
                               "kind": "baseline"})
    if view.benchmark:
        data["series"].append({"label": labels["peers"], "data": [d.peers.mean if d.peers else None
                                                                   for d in view.dimensions], "kind": "peers"})
    return data


def result_dict(assessment: Assessment, questionnaire: Questionnaire) -> dict:
    """The API's view of one version: scores only, never a person's answers."""
    result = rounds.result_of(assessment, questionnaire)
    return {
        "id": assessment.id, "version": assessment.version, "round": assessment.round, "mode": assessment.mode,
        "questionnaire_version": assessment.questionnaire_version, "is_current": assessment.is_open,
        "created_at": assessment.created_at.isoformat(),
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        "participants": len(assessment.responses), "respondents": result.respondents,
        "overall": result.overall, "stage": result.stage,
        "stage_name": questionnaire.stage(result.stage).name.en if result.stage is not None else None,
        "dimensions": [{"slug": slug, "score": d.mean, "low": d.low, "high": d.high, "spread": d.spread,
                        "respondents": d.people, "dont_know": d.dont_know}
                       for slug, d in result.dimensions.items()],
    }
