"""Security finding 7: a schema-driven fuzzer (schemathesis) reads /api/v1/openapi.json and calls every operation
of the real WSGI app, signed in as an admin, with generated and hostile input: no answer may be a server error,
every status must be one the document lists, and every body must match the schema documented for it."""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from lms.auth import accounts
from lms.extensions import db

EXAMPLES = 25  # per operation: bounded, so the suite stays fast; every run draws new ones
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def api_app(app, runner):
    """The app with the shipped courses, labs and demo data, and an admin token."""
    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    assert runner.invoke(args=["demo", "--learners", "2"]).exit_code == 0
    admin = accounts.create_user("fuzz-admin@example.com", "Fuzz Admin",
                                 roles=("admin", "coordinator", "company_manager", "its_staff"))
    _row, token = accounts.create_api_token(admin, "fuzz")
    db.session.commit()
    return app, token


def test_every_operation_answers_what_the_document_says(api_app):
    app, token = api_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 (schemathesis raises a BaseExceptionGroup; collect them all)
            failures[operation.label] = str(exc)[:1500]
    assert operations >= 15
    assert failures == {}, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
