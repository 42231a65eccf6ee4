"""/admin through its callbacks: the account lifecycle, scoped tokens, the audit log and its
export — and nobody but an administrator gets anything done."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import insert, select

from data_access.models import AuditLog, IngestionBatch, LoginThrottle
from data_access.users import create_user, get_account, list_users, user_id_of
from ioc_app.core import ids
from tests.app.control_room_data import small_app
from tests.helpers import PASSWORD, call, client_as, sign_in

AREAS = "/api/v1/domains/{}/areas"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small warehouse with one user per role."""
    app, engine = small_app(tmp_path_factory.mktemp("admin"))
    yield app, engine
    engine.dispose()


def _user_button(app, client, button: str, name: str, **fields):
    values = {
        f"{ids.ADM_USER_NAME}.value": name,
        f"{ids.ADM_USER_ROLE}.value": fields.get("role", "leadership"),
        f"{ids.ADM_USER_UNITS}.value": fields.get("units"),
        f"{ids.ADM_USER_INSTITUTION}.value": fields.get("institution"),
        f"{button}.n_clicks": 1,
    }
    return call(client, app, ids.ADM_USER_MESSAGE, values, triggered=f"{button}.n_clicks")


def _message(response) -> str:
    assert response.status_code == 200, response.data
    return json.dumps(response.get_json()["response"], ensure_ascii=False)


def _password(message: str) -> str:
    return re.search(r"(?:password|khẩu)[^:]*: ([A-Za-z0-9_-]{16})", message).group(1)


def _actions(engine, target: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.username, AuditLog.action).where(AuditLog.target == target)
        ).all()
    return [tuple(r) for r in rows]


def test_a_created_account_must_change_its_one_time_password(small) -> None:
    app, engine = small
    admin = client_as(app, "admin")
    message = _message(_user_button(app, admin, ids.ADM_USER_CREATE, "an.nguyen"))
    password = _password(message)
    account = get_account(engine, user_id_of(engine, "an.nguyen"))
    assert account.role == "leadership" and account.must_change_password
    browser = app.server.test_client()
    sign_in(browser, "an.nguyen", password)
    assert browser.get("/plan").headers["Location"].endswith("/password")
    again = _message(_user_button(app, admin, ids.ADM_USER_CREATE, "an.nguyen"))
    assert "exists already" in again
    assert _actions(engine, "user/an.nguyen") == [("admin", "user.create")]


def test_disabling_ends_a_live_session_at_once(small) -> None:
    app, engine = small
    create_user(engine, "binh.le", PASSWORD, role="leadership")
    browser = app.server.test_client()
    sign_in(browser, "binh.le")
    assert browser.get("/plan").status_code == 200
    message = _message(_user_button(app, client_as(app, "admin"), ids.ADM_USER_DISABLE, "binh.le"))
    assert "1" in message
    assert browser.get("/plan").status_code == 302  # signed out: sent to sign in
    refused = browser.post("/login", json={"username": "binh.le", "password": PASSWORD})
    assert refused.status_code == 401
    assert _actions(engine, "user/binh.le") == [("admin", "user.disable")]


def test_a_reset_ends_sessions_and_gives_a_one_time_password(small) -> None:
    app, engine = small
    create_user(engine, "chi.pham", PASSWORD, role="planner")
    browser = app.server.test_client()
    sign_in(browser, "chi.pham")
    message = _message(_user_button(app, client_as(app, "admin"), ids.ADM_USER_RESET, "chi.pham"))
    assert browser.get("/forecast").status_code == 302
    fresh = app.server.test_client()
    assert (
        fresh.post("/login", json={"username": "chi.pham", "password": PASSWORD}).status_code == 401
    )
    sign_in(fresh, "chi.pham", _password(message))
    assert fresh.get("/forecast").headers["Location"].endswith("/password")


def test_role_units_and_institution_are_validated_like_users_create(small) -> None:
    app, engine = small
    admin = client_as(app, "admin")
    create_user(engine, "dung.vo", PASSWORD, role="leadership")
    bad = _message(_user_button(app, admin, ids.ADM_USER_SAVE, "dung.vo", role="department"))
    assert "needs at least one --unit" in bad
    unknown = _user_button(
        app, admin, ids.ADM_USER_SAVE, "dung.vo", role="department", units=["XX"]
    )
    assert "unknown unit(s) XX" in _message(unknown)
    school = _user_button(app, admin, ids.ADM_USER_SAVE, "dung.vo", role="school", institution=999)
    assert "no institution with id 999" in _message(school)
    done = _user_button(app, admin, ids.ADM_USER_SAVE, "dung.vo", role="department", units=["KHTC"])
    assert "dung.vo" in _message(done)
    account = next(a for a in list_users(engine) if a.username == "dung.vo")
    assert account.role == "department" and account.units == ("KHTC",)
    assert _actions(engine, "user/dung.vo") == [("admin", "user.change")]


def test_an_admin_unlocks_a_throttled_name(small) -> None:
    app, engine = small
    with engine.begin() as connection:
        connection.execute(insert(LoginThrottle).values(username="leader", failures=12))
    admin = client_as(app, "admin")
    assert "leader" in _message(_user_button(app, admin, ids.ADM_USER_UNLOCK, "leader"))
    with engine.connect() as connection:
        left = select(LoginThrottle).where(LoginThrottle.username == "leader")
        assert connection.execute(left).first() is None
    assert ("admin", "user.unlock") in _actions(engine, "user/leader")


@pytest.mark.parametrize("caller", [None, "leader", "planner", "dept.khtc"])
def test_nobody_else_changes_anything(small, caller) -> None:
    app, engine = small
    name = f"x.{caller or 'anon'}"
    response = _user_button(app, client_as(app, caller), ids.ADM_USER_CREATE, name)
    assert response.status_code == (401 if caller is None else 403)
    assert name not in {a.username for a in list_users(engine)}


def _token_button(app, button: str, **fields):
    values = {f"{ids.ADM_TOKEN_USER}.value": fields.get("user")}
    values[f"{ids.ADM_TOKEN_LABEL}.value"] = fields.get("label", "member system")
    values[f"{ids.ADM_TOKEN_DOMAINS}.value"] = fields.get("domains")
    values[f"{ids.ADM_TOKEN_WARDS}.value"] = fields.get("wards")
    values[f"{ids.ADM_TOKEN_WRITE}.value"] = fields.get("write")
    values[f"{ids.ADM_TOKEN_EXPIRES}.date"] = fields.get("expires")
    values[f"{ids.ADM_TOKEN_ID}.value"] = fields.get("token_id")
    values[f"{button}.n_clicks"] = 1
    client = client_as(app, "admin")
    return _message(
        call(client, app, ids.ADM_TOKEN_MESSAGE, values, triggered=f"{button}.n_clicks")
    )


def test_tokens_are_scoped_shown_once_and_revoked(small) -> None:
    app, engine = small
    wider = _token_button(app, ids.ADM_TOKEN_CREATE, user="dept.khtc", domains=["students"])
    assert "wider than dept.khtc" in wider and "domain students" in wider
    made = _token_button(
        app, ids.ADM_TOKEN_CREATE, user="dept.khtc", domains=["facilities"], wards=["26734"]
    )
    token = re.search(r"ioc_[A-Za-z0-9_-]{40,}", made).group(0)
    token_id = int(re.search(r"(?:token|mã) (\d+)", made).group(1))
    headers = {"Authorization": f"Bearer {token}"}
    client = app.server.test_client()
    assert client.get(AREAS.format("facilities"), headers=headers).status_code == 200
    tables = call(client_as(app, "admin"), app, ids.ADM_USERS, {}).get_json()["response"]
    assert token not in json.dumps(tables) and "wards=26734" in json.dumps(tables)
    _token_button(app, ids.ADM_TOKEN_REVOKE, token_id=token_id)
    assert client.get(AREAS.format("facilities"), headers=headers).status_code == 401
    assert [a for _, a in _actions(engine, f"token/{token_id}")] == ["token.create", "token.revoke"]


def _audit(app, **filters):
    values = {
        f"{ids.ADM_AUDIT_USER}.value": filters.get("user"),
        f"{ids.ADM_AUDIT_ACTION}.value": filters.get("action"),
        f"{ids.ADM_AUDIT_TARGET}.value": filters.get("target"),
        f"{ids.ADM_AUDIT_RANGE}.start_date": filters.get("start"),
        f"{ids.ADM_AUDIT_RANGE}.end_date": filters.get("end"),
        f"{ids.ADM_AUDIT_TABLE}.page_current": filters.get("page", 0),
    }
    response = call(client_as(app, "admin"), app, ids.ADM_AUDIT_TABLE, values)
    assert response.status_code == 200, response.data
    return response.get_json()["response"]


def test_the_audit_log_filters_pages_and_exports(small) -> None:
    app, engine = small
    with engine.begin() as connection:
        connection.execute(
            insert(AuditLog),
            [
                {
                    "at": datetime(2025, 1, day, 8),
                    "username": "leader",
                    "role": "leadership",
                    "action": "read",
                    "target": f"domains/students/{day}",
                }
                for day in range(1, 31)
            ]
            + [
                {
                    "at": datetime(2025, 2, n, 9),
                    "username": "dept.khtc",
                    "role": "department:KHTC",
                    "action": "export",
                    "target": "plan.csv",
                }
                for n in range(1, 5)
            ],
        )
    # 30 reads in January, 4 exports in February
    january = _audit(app, user="leader", action="read", start="2025-01-01", end="2025-01-31")
    rows = january[ids.ADM_AUDIT_TABLE]["data"]
    assert len(rows) == 30 and rows[0]["target"] == "domains/students/30"
    assert "30" in january[ids.ADM_AUDIT_COUNT]["children"]
    one_day = _audit(app, start="2025-01-10", end="2025-01-10")[ids.ADM_AUDIT_TABLE]["data"]
    assert [r["target"] for r in one_day] == ["domains/students/10"]
    contains = _audit(app, target="students/1")[ids.ADM_AUDIT_TABLE]["data"]
    assert {r["target"] for r in contains} == {"domains/students/1"} | {
        f"domains/students/{d}" for d in range(10, 20)
    }
    assert _audit(app, target="%")[ids.ADM_AUDIT_TABLE]["data"] == []  # literal, not a wildcard
    first = _audit(app, user="leader", action="read", target="domains/")
    assert first[ids.ADM_AUDIT_TABLE]["page_count"] == 1
    values = {
        f"{ids.ADM_AUDIT_USER}.value": "dept.khtc",
        f"{ids.ADM_AUDIT_ACTION}.value": "export",
        f"{ids.ADM_AUDIT_EXPORT}.n_clicks": 1,
    }
    admin = client_as(app, "admin")
    download = call(
        admin, app, ids.ADM_AUDIT_DOWNLOAD, values, triggered=f"{ids.ADM_AUDIT_EXPORT}.n_clicks"
    ).get_json()["response"][ids.ADM_AUDIT_DOWNLOAD]["data"]
    assert download["filename"] == "audit_log.csv"
    lines = download["content"].strip().splitlines()
    assert len(lines) == 5 and lines[0].lstrip("\ufeff").startswith("id,at,username")
    exported = _audit(app, user="admin", action="export", target="audit_log.csv")
    assert [r["detail"] for r in exported[ids.ADM_AUDIT_TABLE]["data"]] == ["4 rows"]


def test_paging_of_a_long_log(small) -> None:
    app, engine = small
    with engine.begin() as connection:
        connection.execute(
            insert(AuditLog),
            [
                {
                    "at": datetime(2024, 6, 1, 10, n // 60, n % 60),
                    "username": "pager",
                    "role": "leadership",
                    "action": "read",
                    "target": f"page/{n}",
                }
                for n in range(120)
            ],
        )
    last = _audit(app, user="pager", page=2)[ids.ADM_AUDIT_TABLE]
    assert last["page_count"] == 3 and [r["target"] for r in last["data"]] == [
        f"page/{n}" for n in range(19, -1, -1)
    ]


def test_the_batches_table_lists_ingestion_batches(small) -> None:
    app, engine = small
    with engine.begin() as connection:
        connection.execute(
            insert(IngestionBatch).values(
                dataset="staff",
                source_system="HRMIS",
                filename="nhan_su_2025.csv",
                started_at=datetime(2025, 3, 1, 8),
                status="committed",
                username="dept.gdtrh",
                generated=False,
            )
        )
    response = call(client_as(app, "admin"), app, ids.ADM_BATCHES, {})
    assert response.status_code == 200, response.data
    table = json.dumps(response.get_json()["response"], ensure_ascii=False)
    assert "nhan_su_2025.csv" in table and "dept.gdtrh" in table and "committed" in table
    assert "(/intake?dataset=staff)" in table  # where its report opens and it can be undone
