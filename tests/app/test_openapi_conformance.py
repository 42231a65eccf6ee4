"""Every operation of ``/api/v1/openapi.json`` answers as the document says, checked by
schemathesis against the real Flask app (WSGI, in process) with a real API token: documented
status codes, answers matching their schemas, no server error.

Positive cases run on every operation; the domain reads, whose parameters are validated
from the same pydantic models that generate the document, get invalid cases too (each must
be refused). Kept small (a few examples per operation) so the run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

from data_access.tokens import create_token
from tests.app.control_room_data import small_app

EXAMPLES = 8
#: Operations whose schema-valid requests may still be refused with a documented 400, by
#: rules the schema does not state: a task list needs ``unit`` unless the caller reports
#: for exactly one unit, and a report write needs ``task`` or ``items``. Every other check
#: (documented status, answer schemas, no server error) still runs on them. The clusters'
#: box must also be ordered (west < east, south < north) and at most 8,192 px a side at its
#: zoom, which a pattern cannot say.
CONTEXTUAL = {
    ("/api/v1/plan/tasks", "get"),
    ("/api/v1/plan/reports", "post"),
    ("/api/v1/map/clusters", "get"),
}
BOUNDED = settings(
    max_examples=EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(app, a leader's API token that may write reports) on the small SQLite warehouse."""
    app, engine = small_app(tmp_path_factory.mktemp("openapi"))
    _, token = create_token(engine, "leader", "schemathesis", write_reports=True)
    yield app, token
    engine.dispose()


def _operations() -> list[tuple[str, str]]:
    """(path, method) of every operation in the document, read before any app is built."""
    from ioc_app.public_api import openapi_document

    return [(path, method) for path, item in openapi_document()["paths"].items() for method in item]


@pytest.fixture(scope="module")
def document(served):
    """The document as the app serves it, loaded by schemathesis."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", served[0].server)


def _check(document, served, path: str, method: str, mode: GenerationMode) -> None:
    """Call ``method path`` with generated cases of ``mode``; every check must pass."""
    # identity: the app gzips what a client accepts, and the WSGI client would not unpack it
    headers = {"Authorization": f"Bearer {served[1]}", "Accept-Encoding": "identity"}

    excluded = [positive_data_acceptance] if (path, method) in CONTEXTUAL else []

    @given(case=document[path][method.upper()].as_strategy(mode))
    @BOUNDED
    def conforms(case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    conforms()


@pytest.mark.parametrize("path,method", _operations())
def test_every_operation_conforms_to_the_document(document, served, path, method) -> None:
    _check(document, served, path, method, GenerationMode.POSITIVE)


@pytest.mark.parametrize(
    "path,method", [(p, m) for p, m in _operations() if p.startswith("/api/v1/domains/")]
)
def test_the_domain_reads_refuse_what_the_document_does_not_allow(
    document, served, path, method
) -> None:
    _check(document, served, path, method, GenerationMode.NEGATIVE)
