"""API token scopes: domains, 2025 wards, report writing and expiry — never wider than the
token's user, at creation and at every use."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from data_access.models import ApiToken
from data_access.tokens import create_token
from data_access.users import UserError, create_user, update_user
from tests.app.control_room_data import small_app
from tests.app.test_api_tokens import _ioc
from tests.helpers import PASSWORD

AREAS = "/api/v1/domains/{}/areas"
TOMORROW = date.today() + timedelta(days=1)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine, database URL) on the small warehouse, shared by this module."""
    folder = tmp_path_factory.mktemp("scopes")
    app, engine = small_app(folder)
    yield app, engine, f"sqlite:///{folder / 'small.sqlite'}"
    engine.dispose()


def _get(app, path: str, token: str, **params):
    headers = {"Authorization": f"Bearer {token}"}
    return app.server.test_client().get(path, query_string=params, headers=headers)


@pytest.mark.parametrize(
    "user,options,excess",
    [
        ("dept.khtc", {"domains": ["students"]}, "domain students"),
        ("dept.khtc", {"domains": ["facilities", "students"]}, "domain students"),
        ("planner", {"domains": ["facilities"]}, "domain facilities"),
        ("planner", {"write_reports": True}, "write-reports"),
    ],
)
def test_a_token_wider_than_its_user_is_refused_naming_the_excess(
    small, user, options, excess
) -> None:
    _, engine, _ = small
    with pytest.raises(UserError, match=rf"wider than {user}.*{excess}"):
        create_token(engine, user, "too wide", **options)


def test_unknown_scopes_and_past_expiry_are_refused(small) -> None:
    _, engine, _ = small
    with pytest.raises(UserError, match="unknown data domain"):
        create_token(engine, "leader", "x", domains=["nope"])
    with pytest.raises(UserError, match=r"unknown 2025 ward code.*99999"):
        create_token(engine, "leader", "x", wards=["99999"])
    with pytest.raises(UserError, match="not in the future"):
        create_token(engine, "leader", "x", expires=date.today())


def test_the_cli_creates_a_scoped_token_and_refuses_a_wider_one(small) -> None:
    app, _, url = small
    status, _, err = _ioc(
        url, "users", "token", "create", "dept.khtc", "--name", "x", "--domain", "students"
    )
    assert status == 2 and "domain students" in err
    status, out, err = _ioc(
        url,
        "users", "token", "create", "dept.khtc", "--name", "e-office",
        "--domain", "facilities", "--ward", "26734", "--write-reports",
        "--expires", TOMORROW.isoformat(),
    )  # fmt: skip
    assert status == 0, err
    assert "domains=facilities wards=26734 write-reports" in err
    token = out.strip()
    assert _get(app, AREAS.format("facilities"), token).status_code == 200
    listed = json.loads(_ioc(url, "users", "token", "list", "dept.khtc", "--json")[1])[-1]
    assert listed["domains"] == ["facilities"] and listed["wards"] == ["26734"]
    assert listed["write_reports"] is True and listed["expires"] == TOMORROW.isoformat()


def test_a_domain_outside_the_scope_is_403_naming_it(small) -> None:
    app, engine, _ = small
    _, token = create_token(engine, "leader", "health only", domains=["health"])
    assert _get(app, AREAS.format("health"), token).status_code == 200
    refused = _get(app, AREAS.format("students"), token)
    assert refused.status_code == 403 and "'students'" in refused.get_json()["message"]


def test_wards_outside_the_scope_are_left_out(small) -> None:
    app, engine, _ = small
    _, everything = create_token(engine, "leader", "all wards")
    _, two = create_token(engine, "leader", "two wards", wards=["26734", "26743"])
    full = _get(app, AREAS.format("students"), everything, year=2025).get_json()
    assert {a["unit_id"] for a in full["areas"]} >= {"W1", "W2", "W3"}
    limited = _get(app, AREAS.format("students"), two, year=2025).get_json()
    assert {a["unit_id"] for a in limited["areas"]} == {"W1", "W3"}
    old = _get(app, AREAS.format("students"), two, geo="old_district")
    assert old.status_code == 403 and "geo=ward" in old.get_json()["message"]


def test_an_expired_token_gets_the_revoked_tokens_401(small) -> None:
    app, engine, _ = small
    info, token = create_token(engine, "leader", "short", expires=TOMORROW)
    assert _get(app, AREAS.format("health"), token).status_code == 200
    with engine.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.id == info.id)
            .values(expires_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1))
        )
    expired = _get(app, AREAS.format("health"), token)
    assert expired.status_code == 401 and expired.get_json() == {"error": "invalid token"}


def test_use_time_rights_are_the_tokens_scope_and_the_users_current_rights(small) -> None:
    app, engine, _ = small
    create_user(engine, "dept.moving", PASSWORD, role="department", units=("KHTC",))
    _, token = create_token(engine, "dept.moving", "moves", domains=["facilities"])
    assert _get(app, AREAS.format("facilities"), token).status_code == 200
    update_user(engine, "dept.moving", role="department", units=("GDTrH",))
    # the token still names facilities, but the user no longer supervises it
    assert _get(app, AREAS.format("facilities"), token).status_code == 403
    # and GDTrH's students, readable by the user now, stay outside the token's scope
    assert _get(app, AREAS.format("students"), token).status_code == 403


def test_a_read_only_token_cannot_post_a_report(small) -> None:
    app, engine, _ = small
    _, reader = create_token(engine, "dept.khtc", "reader")
    response = app.server.test_client().post(
        "/api/v1/plan/reports", json={}, headers={"Authorization": f"Bearer {reader}"}
    )
    assert response.status_code == 403 and response.get_json()["scope"] == "write-reports"
    _, writer = create_token(engine, "dept.khtc", "writer", write_reports=True)
    response = app.server.test_client().post(
        "/api/v1/plan/reports", json={}, headers={"Authorization": f"Bearer {writer}"}
    )
    assert response.status_code == 400  # past the scope: the empty body is refused as such
