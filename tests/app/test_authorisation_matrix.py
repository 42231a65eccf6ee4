"""The authorisation matrix: every server callback, every Flask route and every page against
anonymous, a department, a planner, leadership and admin. Expectations are written here,
independently of the declarations in the code, so a callback or route that is declared wider
(or narrower) than this table fails — and one that is added without a row here fails too.
"""

from __future__ import annotations

import pytest

from tests.app.control_room_data import small_app
from tests.helpers import client_as

ANONYMOUS, DEPT, PLANNER, LEADER, ADMIN = None, "dept.khtc", "planner", "leader", "admin"
CALLERS = (ANONYMOUS, DEPT, PLANNER, LEADER, ADMIN)
EVERYONE = frozenset(CALLERS)
SIGNED_IN = frozenset({DEPT, PLANNER, LEADER, ADMIN})

#: Server callbacks by the prefix of their first output's id → who may call them.
CALLBACKS = {
    "about": EVERYONE,
    "map": EVERYONE,
    "page": EVERYONE,
    "cr": frozenset({LEADER, ADMIN}),
    "dom": frozenset({DEPT, LEADER, ADMIN}),
    "dx": frozenset({DEPT, LEADER, ADMIN}),
    "plan": frozenset({DEPT, LEADER, ADMIN}),
    "fc": frozenset({PLANNER, LEADER, ADMIN}),
    "school": SIGNED_IN,
    "ward": SIGNED_IN,
    "rep": frozenset({DEPT, LEADER, ADMIN}),  # and schools (their own report)
    "adm": frozenset({ADMIN}),
    "intake": frozenset({DEPT, ADMIN}),
}
#: Flask routes (method, path) → who may call them.
ROUTES = {
    ("GET", "/login"): EVERYONE,
    ("GET", "/password"): SIGNED_IN,
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/robots.txt"): EVERYONE,
    ("GET", "/set-lang/en"): EVERYONE,
    ("GET", "/set-theme/dark"): EVERYONE,
    ("GET", "/api/v1/map/points.geojson"): EVERYONE,
    ("GET", "/api/v1/map/wards.geojson"): EVERYONE,
    ("GET", "/api/v1/map/clusters?z=10&bbox=106.2,10.3,107.3,11.3"): EVERYONE,
    ("GET", "/api/v1/search?q=truong"): EVERYONE,
    ("GET", "/api/v1/nearest?lon=106.7&lat=10.8"): EVERYONE,
    ("GET", "/api/v1/institutions/1"): EVERYONE,
    ("GET", "/api/v1/openapi.json"): EVERYONE,
    ("GET", "/api/v1/domains/facilities/areas"): frozenset({DEPT, LEADER, ADMIN}),
    ("GET", "/api/v1/domains/facilities/institutions"): frozenset({DEPT, LEADER, ADMIN}),
    ("GET", "/control-room/units/ward.geojson"): SIGNED_IN,
    ("GET", "/control-room/schools.geojson"): SIGNED_IN,
    ("GET", "/forecast/wards.geojson"): frozenset({PLANNER, LEADER, ADMIN}),
    ("GET", "/api/v1/plan/tasks?unit=KHTC"): frozenset({DEPT, LEADER, ADMIN}),
    ("GET", "/api/v1/plan/reports"): frozenset({DEPT, LEADER, ADMIN}),
    ("POST", "/api/v1/plan/reports"): frozenset({DEPT, LEADER, ADMIN}),
    ("GET", "/api/v1/plan/reports/999999/versions"): frozenset({DEPT, LEADER, ADMIN}),
    # returning is the Department Office's and leadership's: KHTC is refused in the view
    ("POST", "/api/v1/plan/reports/999999/return"): frozenset({LEADER, ADMIN}),
    # and a school for its own institution (tests/app/test_dx_api.py)
    ("GET", "/api/v1/dx/next-level?institution=1&year=2024"): frozenset({DEPT, LEADER, ADMIN}),
}
#: Pages → who may open them (others: anonymous is sent to sign in, the rest get 403).
PAGES = {
    "/": frozenset({LEADER, ADMIN}),
    "/domains": frozenset({DEPT, LEADER, ADMIN}),
    "/domains/facilities": frozenset({DEPT, LEADER, ADMIN}),
    "/domains/students": frozenset({LEADER, ADMIN}),  # KHTC does not supervise students
    "/plan": frozenset({DEPT, LEADER, ADMIN}),
    "/report": frozenset({DEPT, LEADER, ADMIN}),
    "/dx": frozenset({DEPT, LEADER, ADMIN}),
    "/forecast": frozenset({PLANNER, LEADER, ADMIN}),
    "/intake": frozenset({DEPT, ADMIN}),
    "/ward/26734": SIGNED_IN,
    "/school/1": SIGNED_IN,
    "/map": EVERYONE,
    "/about/data": EVERYONE,
    "/admin": frozenset({ADMIN}),
}
#: Flask endpoints that serve Dash's code, shell or callbacks (checked above, not as routes).
DASH_ENDPOINTS = {
    "static",
    "_dash_assets.static",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
    "/_dash-layout",
    "/_dash-dependencies",
    "/_dash-update-component",
    "/_reload-hash",
    "/_favicon.ico",
    "/",
    "/<path:path>",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The small warehouse (domains, wards, institutions) with one user per role."""
    return small_app(tmp_path_factory.mktemp("matrix"))[0]


def server_callbacks(app) -> list[tuple[str, str]]:
    """(callback_map key, first output id) of every callback that runs on the server."""
    found = []
    for key, entry in app.callback_map.items():
        if "callback" in entry:
            found.append((key, key.strip(".").split("...")[0].rsplit(".", 1)[0]))
    return found


def refused(status: int) -> bool:
    return status in (401, 403)


def expect(caller, allowed: frozenset, status: int, what: str) -> None:
    if caller in allowed:
        assert not refused(status), f"{caller or 'anonymous'} refused {what}: {status}"
    else:
        assert status == (401 if caller is None else 403), (
            f"{caller or 'anonymous'} got {status} for {what}, expected a refusal"
        )


def test_every_server_callback_has_a_row_in_the_matrix(app) -> None:
    prefixes = {output.split("-")[0] for _, output in server_callbacks(app)}
    assert prefixes <= set(CALLBACKS), prefixes - set(CALLBACKS)


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c or "anonymous")
def test_every_server_callback_answers_as_declared(app, caller) -> None:
    client = client_as(app, caller)
    for key, output in server_callbacks(app):
        entry = app.callback_map[key]
        outputs = [
            dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
            for part in key.strip(".").split("...")
        ]
        body = {
            "output": key,
            "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [
                {**item, "value": "facilities" if item["id"] == "dom-slug" else None}
                for item in entry["inputs"]
            ],
            "state": [
                {**item, "value": "facilities" if item["id"] == "dom-slug" else None}
                for item in entry["state"]
            ],
            "changedPropIds": [],
        }
        status = client.post("/_dash-update-component", json=body).status_code
        expect(caller, CALLBACKS[output.split("-")[0]], status, f"callback {key}")


def test_an_undeclared_callback_is_refused(app) -> None:
    for caller in CALLERS:
        body = {"output": "not-a-callback.children", "inputs": [], "changedPropIds": []}
        response = client_as(app, caller).post("/_dash-update-component", json=body)
        assert refused(response.status_code)


def test_every_flask_route_has_a_row_in_the_matrix(app) -> None:
    routes = {
        rule.rule
        for rule in app.server.url_map.iter_rules()
        if rule.endpoint not in DASH_ENDPOINTS and rule.rule != "/logout"
    }
    listed = {path.split("?")[0] for _, path in ROUTES}
    templated = {
        "/set-lang/<lang>": "/set-lang/en",
        "/set-theme/<theme>": "/set-theme/dark",
        "/api/v1/institutions/<int:institution_id>": "/api/v1/institutions/1",
        "/api/v1/domains/<slug>/areas": "/api/v1/domains/facilities/areas",
        "/api/v1/domains/<slug>/institutions": "/api/v1/domains/facilities/institutions",
        "/control-room/units/<kind>.geojson": "/control-room/units/ward.geojson",
        "/api/v1/plan/reports/<int:report_id>/versions": "/api/v1/plan/reports/999999/versions",
        "/api/v1/plan/reports/<int:report_id>/return": "/api/v1/plan/reports/999999/return",
    }
    assert {templated.get(r, r) for r in routes} == listed


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c or "anonymous")
def test_every_flask_route_answers_as_declared(app, caller) -> None:
    client = client_as(app, caller)
    for (method, path), allowed in ROUTES.items():
        status = client.open(path, method=method).status_code
        expect(caller, allowed, status, f"{method} {path}")


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c or "anonymous")
def test_every_page_opens_for_its_roles_only(app, caller) -> None:
    client = client_as(app, caller)
    for path, allowed in PAGES.items():
        response = client.get(path)
        if caller in allowed:
            assert response.status_code == 200, f"{caller} could not open {path}"
        elif caller is None:
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, f"{caller} opened {path}"
