"""/healthz and /about/data on a real (empty, then old-schema) warehouse."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from data_access import migrate
from data_access.db import make_engine, transaction
from data_access.models import DataDomain, DataSource, IngestionBatch
from tests.helpers import sign_in


def test_healthz_reports_engine_schema_and_freshness(app, client, sqlite_url) -> None:
    engine = make_engine(sqlite_url)
    now = datetime.now()
    with transaction(engine) as session:
        session.add(
            DataDomain(
                id=1,
                slug="students",
                name_vi="Học sinh",
                name_en="Students",
                supervising_units="GDTrH",
                refresh_days=30,
                source_system="x",
            )
        )
        session.add(
            IngestionBatch(
                dataset="enrolment",
                domain_id=1,
                source_system="x",
                started_at=now - timedelta(days=40),
                finished_at=now - timedelta(days=40),
                status="done",
            )
        )
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["engine"] == "sqlite"
    assert body["schema_version"] == migrate.head_revision()
    assert body["freshness"] == [
        {
            "domain": "students",
            "last_load": body["freshness"][0]["last_load"],
            "age_days": 40,
            "stale": True,
        }
    ]


def test_healthz_fails_when_the_schema_is_missing(make_app, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    application = make_app(url)
    migrate.downgrade(make_engine(url))
    response = application.server.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["schema_current"] is False


def test_about_data_lists_sources_and_exports_them_with_an_audit_entry(
    app, client, sqlite_url
) -> None:
    engine = make_engine(sqlite_url)
    with transaction(engine) as session:
        session.add(
            DataSource(
                key="real",
                title="Ranh giới <phường>",
                origin="boundaries/x",
                licence="MIT",
                generated=False,
                rows=168,
                loaded_at=datetime.now(),
            )
        )
    body = {
        "output": "about-sources-table.children",
        "outputs": {"id": "about-sources-table", "property": "children"},
        "inputs": [{"id": "about-sources-table", "property": "id", "value": "about-sources-table"}],
        "changedPropIds": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "Ranh giới <phường>" in json.dumps(response.get_json(), ensure_ascii=False)
    sign_in(client, "leader")
    export = {
        "output": "about-download.data",
        "outputs": {"id": "about-download", "property": "data"},
        "inputs": [
            {"id": "about-download-button", "property": "n_clicks", "value": 1},
            {"id": "about-download-xlsx", "property": "n_clicks", "value": None},
        ],
        "changedPropIds": ["about-download-button.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=export)
    assert response.status_code == 200 and "data_sources.csv" in response.get_data(as_text=True)
    from sqlalchemy import text

    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT username, action, target FROM audit_log WHERE action = 'export'")
        ).all()
    assert [tuple(r) for r in rows] == [("leader", "export", "data_sources.csv")]
    export["inputs"] = [
        {"id": "about-download-button", "property": "n_clicks", "value": None},
        {"id": "about-download-xlsx", "property": "n_clicks", "value": 1},
    ]
    export["changedPropIds"] = ["about-download-xlsx.n_clicks"]
    response = client.post("/_dash-update-component", json=export)
    assert response.status_code == 200 and "data_sources.xlsx" in response.get_data(as_text=True)
