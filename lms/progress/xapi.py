"""xAPI (Experience API 1.0.3) statements of course completions and quiz results, and a structural check of
statements against the spec's rules, for institutes that keep a learning record store. No Flask in here.

Statement ids are UUID 5 of the platform's address and the event, so exporting twice gives the same ids and
an LRS keeps one copy.
"""
import re
import uuid
from datetime import datetime
from urllib.parse import urlsplit

VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
LANGUAGE_TAGS = {"en": "en-US", "it": "it-IT"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def _agent(name: str, email: str) -> dict:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}


def _verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _statement_id(base_url: str, *key) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([base_url.rstrip("/"), *map(str, key)])))


def completion_statement(base_url: str, *, name: str, email: str, course_slug: str, course_title: str,
                         language: str, completed_at: datetime) -> dict:
    activity = f"{base_url.rstrip('/')}/courses/{course_slug}"
    return {
        "id": _statement_id(base_url, "completed", email, course_slug),
        "actor": _agent(name, email),
        "verb": _verb("completed"),
        "object": {"objectType": "Activity", "id": activity,
                   "definition": {"type": COURSE_TYPE,
                                  "name": {LANGUAGE_TAGS.get(language, "en-US"): course_title}}},
        "result": {"completion": True},
        "timestamp": completed_at.isoformat(),
    }


def quiz_statement(base_url: str, *, name: str, email: str, course_slug: str, quiz_key: str, quiz_title: str,
                   language: str, attempt_number: int, score: float, passed: bool, submitted_at: datetime) -> dict:
    course = f"{base_url.rstrip('/')}/courses/{course_slug}"
    scaled = round(max(0.0, min(1.0, score)), 4)
    return {
        "id": _statement_id(base_url, "attempt", email, course_slug, quiz_key, attempt_number),
        "actor": _agent(name, email),
        "verb": _verb("passed" if passed else "failed"),
        "object": {"objectType": "Activity", "id": f"{course}/quizzes/{quiz_key.replace(':', '-')}",
                   "definition": {"type": ASSESSMENT_TYPE,
                                  "name": {LANGUAGE_TAGS.get(language, "en-US"): quiz_title}}},
        "result": {"score": {"scaled": scaled, "raw": round(scaled * 100, 2), "min": 0, "max": 100},
                   "success": bool(passed), "completion": True},
        "context": {"contextActivities": {"parent": [{"objectType": "Activity", "id": course}]}},
        "timestamp": submitted_at.isoformat(),
    }


# Checking -------------------------------------------------------------------------------------------------

def _is_iri(value) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _language_map(value, where, problems):
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: must be a non-empty language map")
        return
    for tag, text in value.items():
        if not _LANGUAGE_TAG.match(tag) or not isinstance(text, str):
            problems.append(f"{where}: '{tag}' is not a language tag with a text")


def _check_agent(agent, where, problems, group_ok=True):
    if not isinstance(agent, dict):
        problems.append(f"{where}: must be an object")
        return
    kind = agent.get("objectType", "Agent")
    ifis = [k for k in IFIS if k in agent]
    if kind == "Group" and group_ok:
        for i, member in enumerate(agent.get("member", [])):
            _check_agent(member, f"{where}.member[{i}]", problems, group_ok=False)
        if not ifis and not agent.get("member"):
            problems.append(f"{where}: an anonymous group needs members")
    elif kind != "Agent":
        problems.append(f"{where}: objectType must be Agent or Group")
    elif len(ifis) != 1:
        problems.append(f"{where}: an agent needs exactly one of {', '.join(IFIS)}")
    if len(ifis) > 1:
        problems.append(f"{where}: more than one identifier")
    if "mbox" in agent and not str(agent["mbox"]).startswith("mailto:"):
        problems.append(f"{where}.mbox: must start with mailto:")
    if "account" in agent:
        account = agent["account"]
        if not isinstance(account, dict) or not _is_iri(account.get("homePage")) or not account.get("name"):
            problems.append(f"{where}.account: needs homePage (an IRL) and name")


def check_statement(statement) -> list[str]:
    """Problems that would make an LRS reject the statement (empty when none)."""
    problems = []
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    for key in ("actor", "verb", "object"):
        if key not in statement:
            problems.append(f"{key}: missing")
    if "id" in statement:
        try:
            uuid.UUID(str(statement["id"]))
        except ValueError:
            problems.append("id: must be a UUID")
    if "actor" in statement:
        _check_agent(statement["actor"], "actor", problems)
    verb = statement.get("verb")
    if verb is not None:
        if not isinstance(verb, dict) or not _is_iri(verb.get("id")):
            problems.append("verb.id: must be an IRI")
        elif "display" in verb:
            _language_map(verb["display"], "verb.display", problems)
    target = statement.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity":
            if not _is_iri(target.get("id")):
                problems.append("object.id: an activity needs an IRI id")
            definition = target.get("definition", {})
            for key in ("name", "description"):
                if key in definition:
                    _language_map(definition[key], f"object.definition.{key}", problems)
    elif target is not None:
        problems.append("object: must be an object")
    result = statement.get("result")
    if isinstance(result, dict) and "score" in result:
        score = result["score"]
        scaled = score.get("scaled") if isinstance(score, dict) else None
        if scaled is not None and not (isinstance(scaled, int | float) and -1 <= scaled <= 1):
            problems.append("result.score.scaled: must be between -1 and 1")
        if isinstance(score, dict) and "raw" in score:
            low, high = score.get("min", float("-inf")), score.get("max", float("inf"))
            if not low <= score["raw"] <= high:
                problems.append("result.score.raw: must be between min and max")
    for key in ("timestamp", "stored"):
        if key in statement and not (isinstance(statement[key], str) and _ISO.match(statement[key])):
            problems.append(f"{key}: must be an ISO 8601 time with an offset")
    return problems
