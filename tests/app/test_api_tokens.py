"""Bearer API tokens: made by the CLI, stored hashed, honoured only on /api/v1, and the
token-protected table by area of a domain — same figures and same rule as the domain pages."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json

import pytest
from sqlalchemy import select, text

from data_access.models import AuditLog
from data_access.users import create_user, disable_user
from ioc_app.cli import main
from ioc_app.public_api import OPENAPI_PATH
from ioc_app.services import domains as data
from ioc_app.services.indicators import reference, version
from tests.app.control_room_data import small_app
from tests.helpers import PASSWORD, call, client_as

AREAS = "/api/v1/domains/{}/areas"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine, database URL) on the small warehouse, shared by this module."""
    folder = tmp_path_factory.mktemp("tokens")
    app, engine = small_app(folder)
    yield app, engine, f"sqlite:///{folder / 'small.sqlite'}"
    engine.dispose()


def _ioc(url: str, *args: str) -> tuple[int, str, str]:
    """Run the real command line on ``url``: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def _new_token(url: str, username: str, label: str = "test system") -> str:
    status, out, err = _ioc(url, "users", "token", "create", username, "--name", label)
    assert status == 0, err
    return out.strip()


@pytest.fixture(scope="module")
def tokens(small) -> dict[str, str]:
    """One token per signed-in role, created through the command line."""
    url = small[2]
    return {user: _new_token(url, user) for user in ("leader", "planner", "dept.khtc")}


def _get(app, path: str, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return app.server.test_client().get(path, query_string=params, headers=headers)


def test_cli_prints_the_token_once_and_stores_only_its_hash(small, tokens) -> None:
    _, engine, url = small
    token = tokens["dept.khtc"]
    assert token.startswith("ioc_") and len(token) > 40
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_token")).all()
    assert len(rows) >= 3
    assert all(token not in json.dumps([str(v) for v in row]) for row in rows)
    digests = {row.token_sha256 for row in rows}
    assert hashlib.sha256(token.encode()).hexdigest() in digests
    status, out, _ = _ioc(url, "users", "token", "list", "dept.khtc", "--json")
    listed = json.loads(out)
    assert status == 0 and [t["user"] for t in listed] == ["dept.khtc"]
    assert set(listed[0]) == {
        "id",
        "user",
        "name",
        "created",
        "revoked",
        "domains",
        "wards",
        "write_reports",
        "expires",
    }
    assert listed[0]["name"] == "test system" and listed[0]["revoked"] is None
    assert token not in out and token not in _ioc(url, "users", "token", "list")[1]


def test_cli_errors_are_clear(small) -> None:
    url = small[2]
    status, _, err = _ioc(url, "users", "token", "create", "nobody", "--name", "x")
    assert status == 2 and "no user 'nobody'" in err
    status, _, err = _ioc(url, "users", "token", "revoke", "99999")
    assert status == 2 and "no API token with id 99999" in err
    status, _, err = _ioc(url, "users", "token", "list", "nobody")
    assert status == 2 and "no user 'nobody'" in err


@pytest.mark.parametrize("geo,year", [("ward", 2024), ("old_district", 2025), ("ward", 2025)])
def test_the_route_returns_the_domain_pages_figures(small, tokens, geo, year) -> None:
    app, _, _ = small
    response = _get(app, AREAS.format("students"), tokens["leader"], year=year, geo=geo)
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["school_year"] == year and body["geo"] == geo
    assert body["source"] == "System 1" and body["generated"] is True
    keys = [i["key"] for i in body["indicators"]]
    assert keys[:3] == ["pupils", "classes", "class_size"]
    with app.server.test_request_context():
        v = version()
        expected = data.table(
            data.by_area(v, 1, geo, "all", "all"), 1, year, reference(v)["units"], "vi"
        )
    assert [a["unit_id"] for a in body["areas"]] == expected["unit_id"].tolist()
    for area, row in zip(body["areas"], expected.to_dict("records"), strict=True):
        assert area["name"] == row["area"] and area["estimate"] == row["estimate"]
        for key in keys:
            wanted = row[key]
            assert area["values"][key] == (None if wanted != wanted else pytest.approx(wanted))


def test_split_ward_figures_carried_from_old_wards_are_marked_estimates(small, tokens) -> None:
    app, _, _ = small
    body = _get(app, AREAS.format("students"), tokens["leader"], year=2024).get_json()
    w2 = next(a for a in body["areas"] if a["unit_id"] == "W2")
    # As on the domain page: W2's 2024 pupils come from old ward 3, split, so an estimate.
    assert w2["values"]["pupils"] == pytest.approx(480.0) and w2["estimate"] is True
    later = _get(app, AREAS.format("students"), tokens["leader"], year=2025).get_json()
    assert not next(a for a in later["areas"] if a["unit_id"] == "W2")["estimate"]


@pytest.mark.parametrize(
    "user,slug,status",
    [
        ("dept.khtc", "facilities", 200),
        ("dept.khtc", "students", 403),
        ("planner", "facilities", 403),
        ("leader", "health", 200),
        ("leader", "no-such-domain", 404),
    ],
)
def test_access_follows_the_domain_pages_rule(small, tokens, user, slug, status) -> None:
    app, _, _ = small
    response = _get(app, AREAS.format(slug), tokens[user])
    assert response.status_code == status
    assert response.is_json and ("error" in response.get_json()) == (status != 200)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("token", [None, "ioc_wrong", "not-even-a-token", ""])
def test_missing_or_wrong_tokens_get_401_json(small, token) -> None:
    app, _, _ = small
    response = _get(app, AREAS.format("facilities"), token)
    assert response.status_code == 401 and response.is_json
    assert "error" in response.get_json()
    if token is not None:
        assert response.get_json()["error"] == "invalid token"
    assert "Location" not in response.headers and "Set-Cookie" not in response.headers


def test_revoked_tokens_and_disabled_users_get_the_same_401(small) -> None:
    app, engine, url = small
    token = _new_token(url, "dept.khtc", "to revoke")
    assert _get(app, AREAS.format("facilities"), token).status_code == 200
    token_id = json.loads(_ioc(url, "users", "token", "list", "--json")[1])[-1]["id"]
    status, out, _ = _ioc(url, "users", "token", "revoke", str(token_id))
    assert status == 0 and "revoked" in out
    revoked = _get(app, AREAS.format("facilities"), token)
    assert revoked.status_code == 401 and revoked.get_json() == {"error": "invalid token"}
    listed = json.loads(_ioc(url, "users", "token", "list", "--json")[1])
    assert listed[-1]["revoked"] is not None

    create_user(engine, "dept.leaving", PASSWORD, role="department", units=("KHTC",))
    leaving = _new_token(url, "dept.leaving")
    assert _get(app, AREAS.format("facilities"), leaving).status_code == 200
    disable_user(engine, "dept.leaving")
    disabled = _get(app, AREAS.format("facilities"), leaving)
    assert disabled.status_code == 401 and disabled.get_json() == revoked.get_json()


def test_bad_parameters_are_400s_naming_the_parameter(small, tokens) -> None:
    app, _, _ = small
    for params, name in (
        ({"year": "last"}, "year"),
        ({"year": 1999}, "year"),
        ({"geo": "province"}, "geo"),
    ):
        response = _get(app, AREAS.format("facilities"), tokens["dept.khtc"], **params)
        assert response.status_code == 400 and name in response.get_json()["message"]


def test_every_read_is_audited_as_the_tokens_user(small, tokens) -> None:
    app, engine, _ = small

    def reads() -> list[tuple[str, str, str]]:
        with engine.connect() as connection:
            return connection.execute(
                select(AuditLog.username, AuditLog.role, AuditLog.detail).where(
                    AuditLog.action == "read", AuditLog.target == "api/domains/facilities/areas"
                )
            ).all()

    before = len(reads())
    assert (
        _get(
            app, AREAS.format("facilities"), tokens["dept.khtc"], year=2024, geo="old_district"
        ).status_code
        == 200
    )
    assert _get(app, AREAS.format("students"), tokens["dept.khtc"]).status_code == 403
    after = reads()
    assert len(after) == before + 1
    assert tuple(after[-1]) == (
        "dept.khtc",
        "department:KHTC",
        "school_year=2024; geo=old_district; rows=2",  # Quận 1 and Quận 3
    )


def test_the_bearer_header_opens_no_dash_callback_and_no_page(small, tokens) -> None:
    app, _, _ = small
    client = app.server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['leader']}"
    refused = call(
        client, app, "dom-series", {"dom-slug.data": "students", "dom-geo.value": "ward"}
    )
    assert refused.status_code == 401
    page = client.get("/domains/students")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    assert client.get(AREAS.format("students")).status_code == 200  # the same header, API


def test_a_bearer_header_replaces_the_session_on_the_api(small) -> None:
    app, _, _ = small
    signed_in = client_as(app, "dept.khtc")
    assert signed_in.get(AREAS.format("facilities")).status_code == 200
    forged = signed_in.get(
        AREAS.format("facilities"), headers={"Authorization": "Bearer ioc_forged"}
    )
    assert forged.status_code == 401 and "Set-Cookie" not in forged.headers


def test_openapi_document_declares_the_route_with_bearer_security(small) -> None:
    app, _, _ = small
    document = app.server.test_client().get(OPENAPI_PATH).get_json()
    operation = document["paths"]["/api/v1/domains/{slug}/areas"]["get"]
    assert operation["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert {p["name"] for p in operation["parameters"]} == {"slug", "year", "geo"}


def test_the_route_is_rate_limited(small, tokens) -> None:
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    limited = create_app(test_config(small[2], rate_limit="3/minute"))
    codes = [
        _get(limited, AREAS.format("facilities"), tokens["dept.khtc"]).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
