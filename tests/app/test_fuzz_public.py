"""No request an anonymous client can send makes the server answer 500 (review, finding 9).

Hypothesis posts every public server callback with random JSON for each input and state, and
calls every public ``/api/v1`` route with random path values and query strings, on the seeded
city warehouse. Exceptions are not propagated to the test: it sees the status a client gets,
and any exception the server logged is shown with the failing example.
"""

from __future__ import annotations

import json
import string
from urllib.parse import quote, urlencode

import pytest
from flask import got_request_exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioc_app.core import config
from ioc_app.core.guard import CALLBACK_REGISTRY

EXAMPLES = 30
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: a failure here is reproducible
)

# Values the page's components really hold, and values a hostile client might send instead.
PLAUSIBLE = st.sampled_from(
    [
        "",
        "all",
        "ward",
        "old_district",
        "school",
        "public",
        "primary",
        "/map",
        "/about/data",
        "?lang=en",
        "vi",
        "en",
        "W27139",
        "OD770",
        "Quận 3",
        "le quy don",
        "1e20",
        "Infinity",
    ]
)
NUMBERS = (
    st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, -1, 2**31, 2**63, 1e20, 1e308])
)
SCALARS = st.none() | st.booleans() | NUMBERS | st.text(max_size=40) | PLAUSIBLE
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["lon", "lat", "lang", "given"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def fuzz_app(seeded_sqlite_url):
    from ioc_app.app import create_app

    app = create_app(config.test_config(seeded_sqlite_url))
    app.server.config["PROPAGATE_EXCEPTIONS"] = False  # a client sees a status, not a traceback
    return app


@pytest.fixture(scope="module")
def errors(fuzz_app):
    """Exceptions the server raised while answering (the cause behind a 500)."""
    seen: list[BaseException] = []

    def record(sender, exception, **extra):
        seen.append(exception)

    got_request_exception.connect(record, fuzz_app.server)
    yield seen
    got_request_exception.disconnect(record, fuzz_app.server)


def public_server_callbacks(app) -> list[str]:
    """Keys of every callback anyone may trigger that runs on the server."""
    registry = app.server.config[CALLBACK_REGISTRY]
    return sorted(
        key
        for key, access in registry.items()
        if access.public and "callback" in app.callback_map[key]
    )


def _outputs(key: str):
    parts = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in key.strip(".").split("...")
    ]
    return parts if key.startswith("..") else parts[0]


def _fuzz_callback(app, client, errors, key: str) -> None:
    entry = app.callback_map[key]
    names = [f"{i['id']}.{i['property']}" for i in entry["inputs"]]

    @FUZZ
    @given(
        inputs=st.lists(JSON_VALUES, min_size=len(entry["inputs"]), max_size=len(entry["inputs"])),
        state=st.lists(JSON_VALUES, min_size=len(entry["state"]), max_size=len(entry["state"])),
        changed=st.lists(st.sampled_from(names), max_size=2, unique=True) if names else st.just([]),
    )
    def check(inputs, state, changed) -> None:
        body = {
            "output": key,
            "outputs": _outputs(key),
            "inputs": [
                {**item, "value": v} for item, v in zip(entry["inputs"], inputs, strict=True)
            ],
            "state": [{**item, "value": v} for item, v in zip(entry["state"], state, strict=True)],
            "changedPropIds": changed,
        }
        errors.clear()
        response = client.post(
            "/_dash-update-component",
            data=json.dumps(body),  # allows NaN and Infinity, as a hostile client may send
            content_type="application/json",
        )
        assert response.status_code < 500, (key, body, errors)

    check()


def test_no_public_callback_answers_500(fuzz_app, errors) -> None:
    keys = public_server_callbacks(fuzz_app)
    assert any(key.startswith("..map-results") for key in keys)  # the map is among them
    client = fuzz_app.server.test_client()
    failures = []
    for key in keys:  # every callback is tried, then every failure is reported
        try:
            _fuzz_callback(fuzz_app, client, errors, key)
        except AssertionError as failure:
            failures.append(failure)
    assert not failures, failures


QUERY_NAMES = [
    "q",
    "near",
    "limit",
    "kind",
    "level",
    "ownership",
    "ward",
    "old_district",
    "lon",
    "lat",
    "radius_m",
    "n",
    "year",
    "geo",
    "z",
    "bbox",
    "x",
]
QUERY_VALUES = (
    st.text(max_size=30)
    | PLAUSIBLE
    | NUMBERS.map(str)
    | st.sampled_from(
        [
            *("nan", "inf", "-inf", "1,2", "106.7,10.8", "1e400,1", "9" * 5000, ",,"),
            *("106.2,10.3,107.3,11.3", "-180,-90,180,90", "none", "12"),
        ]
    )
)
PATH_VALUES = st.integers(min_value=0, max_value=10**30).map(str) | st.text(
    alphabet=string.ascii_letters + string.digits + "-_.%", min_size=1, max_size=30
)


def public_api_rules(app) -> list:
    server = app.server
    return sorted(
        (
            rule
            for rule in server.url_map.iter_rules()
            if rule.rule.startswith("/api/v1")
            and getattr(server.view_functions[rule.endpoint], "ioc_access", None) is not None
            and server.view_functions[rule.endpoint].ioc_access.public
        ),
        key=lambda rule: rule.rule,
    )


def _fuzz_route(client, errors, rule) -> None:
    arguments = sorted(rule.arguments)

    @FUZZ
    @given(
        path=st.fixed_dictionaries({name: PATH_VALUES for name in arguments}),
        query=st.lists(st.tuples(st.sampled_from(QUERY_NAMES), QUERY_VALUES), max_size=6),
    )
    def check(path, query) -> None:
        url = rule.rule
        for name in arguments:
            url = url.replace(f"<{name}>", quote(path[name], safe="")).replace(
                f"<int:{name}>", quote(path[name], safe="")
            )
        errors.clear()
        response = client.get(f"{url}?{urlencode(query)}")
        assert response.status_code < 500, (url, query, errors)

    check()


def test_no_public_api_route_answers_500(fuzz_app, errors) -> None:
    rules = public_api_rules(fuzz_app)
    assert {"/api/v1/search", "/api/v1/institutions/<int:institution_id>"} <= {
        r.rule for r in rules
    }
    client = fuzz_app.server.test_client()
    failures = []
    for rule in rules:
        try:
            _fuzz_route(client, errors, rule)
        except AssertionError as failure:
            failures.append(failure)
    assert not failures, failures
