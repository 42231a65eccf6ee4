"""Anonymous callers cannot run expensive work without limit (security review, finding 2).

Anonymous ``/_dash-update-component`` requests are rate-limited per client address and refused
over 1 MB before they are parsed; public exports have a tighter limit and anonymous map
exports are capped. Signed-in callers are not held by the public limits.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access.db import make_engine
from data_access.models import AuditLog
from ioc_app.core import ids
from tests.helpers import add_users, call, sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limited(make_app, sqlite_url):
    """An application with small public limits, on an empty warehouse with one user per role."""

    def build(**overrides):
        app = make_app(sqlite_url, **overrides)
        add_users(make_engine(sqlite_url))
        return app

    return build


def _options(app, client):
    return call(client, app, ids.MAP_WARD, {f"{ids.MAP_WARD}.id": ids.MAP_WARD})


def _map_export(app, client, **values):
    return call(
        client,
        app,
        ids.MAP_DOWNLOAD,
        {f"{ids.MAP_EXPORT_CSV}.n_clicks": 1, **values},
        triggered=f"{ids.MAP_EXPORT_CSV}.n_clicks",
    )


def _sources_export(app, client):
    return call(
        client,
        app,
        ids.ABOUT_DOWNLOAD,
        {f"{ids.ABOUT_DOWNLOAD_BUTTON}.n_clicks": 1},
        triggered=f"{ids.ABOUT_DOWNLOAD_BUTTON}.n_clicks",
    )


def test_anonymous_callbacks_are_rate_limited_per_client_address(limited) -> None:
    app = limited(rate_limit="3/minute")
    anonymous = app.server.test_client()
    statuses = [_options(app, anonymous).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = _options(app, anonymous)
    assert refused.get_json()["error"] == "rate_limited" and int(refused.headers["Retry-After"]) > 0
    assert _options_from(app, "10.0.0.9").status_code == 200  # another address has its own


def _options_from(app, address: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return _options(app, client)


def test_signed_in_callers_are_not_held_by_the_public_limit(limited) -> None:
    app = limited(rate_limit="3/minute")
    leader = app.server.test_client()
    sign_in(leader, "leader")
    assert {_options(app, leader).status_code for _ in range(6)} == {200}


def test_public_exports_have_a_tighter_limit_and_refusals_write_no_audit_row(
    limited, sqlite_url
) -> None:
    app = limited(export_rate_limit="2/minute")
    anonymous = app.server.test_client()
    first, second = _map_export(app, anonymous), _sources_export(app, anonymous)
    assert (first.status_code, second.status_code) == (200, 200)
    assert _map_export(app, anonymous).status_code == 429  # one bucket for every export
    assert _sources_export(app, anonymous).status_code == 429
    assert _options(app, anonymous).status_code == 200  # other callbacks are not held
    with make_engine(sqlite_url).connect() as connection:
        exports = connection.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "export")
        ).scalar()
    assert exports == 2
    leader = app.server.test_client()
    sign_in(leader, "leader")
    assert {_map_export(app, leader).status_code for _ in range(4)} == {200}


def _big_body(app, client, size: int):
    return _options_with(app, client, "x" * size)


def _options_with(app, client, district: str):
    return call(
        client,
        app,
        ids.MAP_WARD,
        {f"{ids.MAP_WARD}.id": ids.MAP_WARD, f"{ids.MAP_DISTRICT}.value": district},
    )


def test_anonymous_callback_bodies_over_one_megabyte_are_refused_before_parsing(limited) -> None:
    app = limited()
    anonymous = app.server.test_client()
    refused = _big_body(app, anonymous, 1_100_000)
    assert refused.status_code == 413
    assert refused.get_json()["error"] == "too_large"
    assert _big_body(app, anonymous, 900_000).status_code == 200
    leader = app.server.test_client()
    sign_in(leader, "leader")
    assert _big_body(app, leader, 1_100_000).status_code == 200  # the bigger limit stays


def test_a_body_without_content_length_stops_at_the_public_limit(limited) -> None:
    app = limited(public_max_body_kb=1)
    body = b'{"output": "' + b"x" * 4096 + b'"}'
    response = app.server.test_client().post(
        "/_dash-update-component",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn marks chunked bodies
    )
    assert response.status_code == 413


def test_the_anonymous_map_export_is_capped_and_says_so(seeded_app) -> None:
    anonymous = seeded_app.server.test_client()
    payload = _map_export(seeded_app, anonymous).get_json()["response"][ids.MAP_DOWNLOAD]["data"]
    rows = list(csv.DictReader(io.StringIO(payload["content"].removeprefix("\ufeff"))))
    name = re.fullmatch(r"co_so_giao_duc_5000_of_(\d+)\.csv", payload["filename"])
    assert name is not None, payload["filename"]
    total = int(name.group(1))
    assert len(rows) == 5000 < total
    excel = call(
        anonymous,
        seeded_app,
        ids.MAP_DOWNLOAD,
        {f"{ids.MAP_EXPORT_XLSX}.n_clicks": 1},
        triggered=f"{ids.MAP_EXPORT_XLSX}.n_clicks",
    ).get_json()["response"][ids.MAP_DOWNLOAD]["data"]
    assert excel["filename"] == f"co_so_giao_duc_1000_of_{total}.xlsx"  # a fifth: slower to write
    leader = seeded_app.server.test_client()
    sign_in(leader, "leader")
    signed = _map_export(seeded_app, leader).get_json()["response"][ids.MAP_DOWNLOAD]["data"]
    assert signed["filename"] == "co_so_giao_duc.csv"
    assert signed["content"].count("\n") == total + 1  # header + every institution


def test_every_setting_read_from_the_environment_is_in_the_readme() -> None:
    source = (ROOT / "ioc_app" / "core" / "config.py").read_text(encoding="utf-8")
    settings = set(re.findall(r"(?:os\.environ\.get|_count)\(\"([A-Z_]+)\"", source))
    assert {"IOC_EXPORT_RATE_LIMIT", "IOC_EXPORT_MAX_ROWS", "IOC_TRUSTED_PROXIES"} <= settings
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    assert {s for s in settings if f"| `{s}` |" not in table} == set()
