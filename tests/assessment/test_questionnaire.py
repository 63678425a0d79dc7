"""The shipped questions.yaml, the loader's path:line errors, and the mapping check in `lms content check`."""
from pathlib import Path

import pytest

from lms.assessment import loader
from lms.assessment import questionnaire as qmod
from lms.assessment.questionnaire import (
    QUESTIONS_FILE,
    QuestionnaireInvalid,
    check_mapping,
    load,
    parse_questionnaire,
)
from lms.content import loading

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_questionnaire_is_complete_in_both_languages():
    q = load()
    assert [d.slug for d in q.dimensions] == ["strategy", "people", "processes", "technologies", "data", "supply-chain"]
    assert 28 <= len(q.questions) <= 32 and all(len(d.questions) >= 5 for d in q.dimensions)
    assert [s.level for s in q.stages] == [0, 1, 2, 3, 4, 5]
    for question in q.questions:
        assert [level.value for level in question.levels] == [0, 1, 2, 3, 4, 5]
        for level in question.levels:
            assert level.text.en and level.text.it and level.example.en and level.example.it
            assert level.text.en != level.text.it  # translated, not copied
    assert q.question("data-security").text.for_locale("it").startswith("Come si proteggono")
    assert q.question("data-security").text.for_locale("en").startswith("How are data")


def test_the_mapping_names_shipped_modules_quizzes_and_labs(app):
    content = loading.check_content(courses=ROOT / "courses", labs=ROOT / "labs")
    assert check_mapping(load(), content["courses"], content["labs"]) == []
    for dimension in load().dimensions:
        assert dimension.path.modules and dimension.path.labs


GOOD_LEVEL = "      - {en: a, it: b, example_en: c, example_it: d}\n"


def _file(levels=6, extra_question="", modules="[digitalization-101/connectivity-and-iiot]"):
    stages = "".join(f"  - {{level: {n}, en: s{n}, it: s{n}, description_en: x, description_it: y}}\n" for n in range(6))
    question = "  - slug: q{n}\n    en: Q?\n    it: D?\n    levels:\n" + GOOD_LEVEL * levels
    return ("version: 1\nstages:\n" + stages + "dimensions:\n- slug: data\n  en: Data\n  it: Dati\n"
            "  advice_en: a\n  advice_it: b\n"
            f"  path:\n    modules: {modules}\n    quizzes: [digitalization-101/connectivity-and-iiot]\n"
            "    labs: [iiot-condition-monitoring-bench]\n  questions:\n"
            + "".join(question.replace("{n}", str(i)) for i in range(3)) + extra_question)


def test_a_good_small_file_parses():
    q = parse_questionnaire(_file(), "q.yaml")
    assert len(q.questions) == 3 and q.dimension("data").path.labs[0].slug == "iiot-condition-monitoring-bench"


def _errors(text):
    with pytest.raises(QuestionnaireInvalid) as info:
        parse_questionnaire(text, "q.yaml")
    return [str(e) for e in info.value.errors]


def test_errors_name_the_file_and_line():
    text = _file(levels=5)
    errors = _errors(text)
    first_levels_line = text.splitlines().index("    levels:") + 2  # the list starts on the next line
    assert f"q.yaml:{first_levels_line}: question 'q0': needs exactly 6 levels (0 to 5), found 5" in errors
    duplicate = _file(extra_question="  - slug: q1\n    en: Again\n    it: Ancora\n    levels:\n" + GOOD_LEVEL * 6)
    line = len(duplicate.splitlines()) - 9  # the "- slug: q1" line of the last question
    assert f"q.yaml:{line}: a question of 'data': slug 'q1' is used twice" in _errors(duplicate)
    missing_it = _file().replace("  - slug: q2\n    en: Q?\n    it: D?\n", "  - slug: q2\n    en: Q?\n")
    assert any("question 'q2': 'it' is missing" in e for e in _errors(missing_it))
    bad_ref = _errors(_file(modules="[connectivity-and-iiot]"))
    assert any(":" in e and "must be course-slug/module-slug" in e for e in bad_ref)
    assert _errors("version: 1\nstages: [\n")[0].startswith("q.yaml:")
    assert _errors("")[0] == "q.yaml:1: the file is empty"


def test_a_broken_mapping_is_reported_with_its_line(app):
    text = _file(modules="[digitalization-101/no-such-module]")
    q = parse_questionnaire(text, "q.yaml")
    content = loading.check_content(courses=ROOT / "courses", labs=ROOT / "labs")
    errors = [str(e) for e in check_mapping(q, content["courses"], content["labs"])]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "no-such-module" in t)
    assert errors == [f"q.yaml:{line}: course 'digitalization-101' has no module 'no-such-module'"]


def test_content_check_checks_the_mapping_against_the_shipped_content(app, runner, monkeypatch):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    broken = parse_questionnaire(_file().replace("iiot-condition-monitoring-bench", "no-such-lab"), "q.yaml")
    monkeypatch.setattr(loader, "questionnaire", lambda: broken)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "q.yaml:" in result.output and "no lab 'no-such-lab' in the labs folder" in result.output


def test_a_broken_file_stops_the_app_at_start_up(tmp_path, monkeypatch):
    from lms import create_app
    from tests.conftest import base_config

    bad = tmp_path / "questions.yaml"
    bad.write_text(_file(levels=2), encoding="utf-8")
    monkeypatch.setattr(qmod, "QUESTIONS_FILE", bad)
    qmod.questionnaire.cache_clear()
    try:
        with pytest.raises(QuestionnaireInvalid) as info:
            create_app(base_config(tmp_path))
        assert f"{bad}:" in str(info.value)
    finally:
        monkeypatch.undo()
        qmod.questionnaire.cache_clear()
    assert qmod.questionnaire().path == str(QUESTIONS_FILE)
