"""/intake through its callbacks, as the browser calls them: upload, background validation,
report, commit (once), refusals for another domain's dataset, undo."""

from __future__ import annotations

import base64
import time

import pytest
from sqlalchemy import func, select

from data_access.models import AuditLog, FactFacility, IngestionBatch
from ioc_app.core import ids
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as

HEADER = (
    "school_year,institution_code,classrooms,classrooms_solid,functional_rooms,"
    "computer_rooms,computers,smart_classrooms,site_area_m2,internet_mbps\n"
)
CLEAN = HEADER + "2025,T1,37,30,6,2,80,5,9000,300\n"
# Row 2: more solid classrooms than classrooms; row 3: an unknown institution, a negative count.
WITH_ERRORS = HEADER + "2025,T1,37,40,6,2,80,5,9000,300\n2025,T99,12,10,-3,1,20,1,5000,100\n"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return small_app(tmp_path_factory.mktemp("intake"))


def _upload(client, app, text: str, name: str = "facilities", filename: str = "csvc.csv"):
    contents = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    response = call(
        client,
        app,
        ids.INTAKE_TOKEN,
        {
            f"{ids.INTAKE_UPLOAD}.contents": contents,
            f"{ids.INTAKE_UPLOAD}.filename": filename,
            f"{ids.INTAKE_DATASET}.value": name,
        },
        triggered=f"{ids.INTAKE_UPLOAD}.contents",
    )
    assert response.status_code == 200, response.data
    return response.get_json()["response"]


def _validate(client, app, kept) -> dict:
    """Start the background validation and poll for its result, as the browser does."""
    values = {f"{ids.INTAKE_TOKEN}.data": kept}
    started = call(client, app, ids.INTAKE_REPORT, values, triggered=f"{ids.INTAKE_TOKEN}.data")
    assert started.status_code == 200, started.data
    job = started.get_json()
    for _ in range(200):
        polled = call(
            client,
            app,
            ids.INTAKE_REPORT,
            values,
            triggered=f"{ids.INTAKE_TOKEN}.data",
            query=f"?cacheKey={job['cacheKey']}&job={job['job']}",
        )
        if polled.status_code == 200 and b'"response"' in polled.data:
            data = polled.get_json()["response"]
            if ids.INTAKE_VALIDATED in data or ids.INTAKE_REPORT in data:
                return data
        time.sleep(0.1)
    raise AssertionError(f"the validation did not finish: {polled.data!r}")


def _commit(client, app, validated):
    response = call(
        client,
        app,
        ids.INTAKE_RESULT,
        {f"{ids.INTAKE_COMMIT}.n_clicks": 1, f"{ids.INTAKE_VALIDATED}.data": validated},
        triggered=f"{ids.INTAKE_COMMIT}.n_clicks",
    )
    assert response.status_code == 200, response.data
    return str(response.get_json()["response"][ids.INTAKE_RESULT]["children"])


def _classrooms(engine, school: int = 1, year: int = 2025) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(FactFacility.classrooms).where(
                FactFacility.institution_id == school, FactFacility.school_year == year
            )
        ).scalar_one()


def _batches(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(IngestionBatch)).scalar_one()


def _actions(engine, username: str) -> list[str]:
    with engine.connect() as connection:
        query = select(AuditLog.action).where(AuditLog.username == username)
        return list(connection.execute(query).scalars())


def test_a_department_sees_only_the_datasets_of_its_domains(warehouse) -> None:
    app, _ = warehouse
    khtc = call(client_as(app, "dept.khtc"), app, ids.INTAKE_DATASET, {}).get_json()
    options = khtc["response"][ids.INTAKE_DATASET]["options"]
    # the datasets of its domain, and its own units' quarterly reports
    assert [o["value"] for o in options] == ["facilities", "plan_reports"]
    admin = call(client_as(app, "admin"), app, ids.INTAKE_DATASET, {}).get_json()
    assert len(admin["response"][ids.INTAKE_DATASET]["options"]) >= 8


def test_a_file_with_errors_is_reported_with_row_and_column(warehouse) -> None:
    app, engine = warehouse
    client = client_as(app, "dept.khtc")
    before = (_classrooms(engine), _batches(engine))
    kept = _upload(client, app, WITH_ERRORS)[ids.INTAKE_TOKEN]["data"]
    result = _validate(client, app, kept)
    assert result[ids.INTAKE_VALIDATED]["data"]["clean"] is False
    report = str(result[ids.INTAKE_REPORT]["children"])
    for expected in ("'row': 2", "'column': 'classrooms_solid'", "'row': 3", "T99"):
        assert expected in report, expected
    assert "ingest_validate" in _actions(engine, "dept.khtc")
    # Commit is refused for a file with problems, even when the browser claims it is clean.
    forged = {**result[ids.INTAKE_VALIDATED]["data"], "clean": True}
    assert "Không ghi" in _commit(client, app, forged)
    assert (_classrooms(engine), _batches(engine)) == before
    # The report downloads as CSV, validated again on the server and audited as an export.
    download = call(
        client,
        app,
        ids.INTAKE_REPORT_DOWNLOAD,
        {f"{ids.INTAKE_REPORT_CSV}.n_clicks": 1, f"{ids.INTAKE_TOKEN}.data": kept},
        triggered=f"{ids.INTAKE_REPORT_CSV}.n_clicks",
    ).get_json()["response"][ids.INTAKE_REPORT_DOWNLOAD]["data"]
    assert "classrooms_solid" in download["content"] and "T99" in download["content"]


def test_a_clean_file_commits_once_and_undo_restores_the_figure(warehouse) -> None:
    app, engine = warehouse
    client = client_as(app, "dept.khtc")
    old = _classrooms(engine)
    assert old != 37
    kept = _upload(client, app, CLEAN)[ids.INTAKE_TOKEN]["data"]
    validated = _validate(client, app, kept)[ids.INTAKE_VALIDATED]["data"]
    assert validated["clean"] is True
    message = _commit(client, app, validated)
    assert "0 dòng thêm mới, 1 dòng cập nhật" in message and "/domains/facilities" in message
    assert _classrooms(engine) == 37
    batches = _batches(engine)
    # The same commit again: the upload is no longer kept, nothing is written.
    assert "Không ghi" in _commit(client, app, validated)
    assert _batches(engine) == batches
    # The same file uploaded again commits as unchanged.
    again = _validate(client, app, _upload(client, app, CLEAN)[ids.INTAKE_TOKEN]["data"])
    assert "1 dòng không đổi" in _commit(client, app, again[ids.INTAKE_VALIDATED]["data"])
    assert _classrooms(engine) == 37
    # The batches table offers Undo on the latest committed batch; undo restores the figure.
    table = call(
        client, app, ids.INTAKE_BATCHES, {f"{ids.INTAKE_DATASET}.value": "facilities"}
    ).get_json()["response"][ids.INTAKE_BATCHES]["children"]
    buttons = [b for b in str(table).split("'type': ") if b.startswith(f"'{ids.INTAKE_UNDO}'")]
    assert len(buttons) == 1  # the latest committed batch only
    with engine.connect() as connection:
        latest = connection.execute(
            select(func.max(IngestionBatch.id)).where(IngestionBatch.status == "done")
        ).scalar_one()
    first = latest - 1
    undo_values = {f"{ids.INTAKE_UNDO}.n_clicks": [1]}
    refused = _undo(client, app, first, undo_values)
    assert "Không hoàn tác" in refused  # a later batch of the dataset exists
    assert "Đã hoàn tác" in _undo(client, app, latest, undo_values)
    assert "Đã hoàn tác" in _undo(client, app, first, undo_values)
    assert _classrooms(engine) == old
    assert {"ingest_upload", "ingest", "ingest_undo"} <= set(_actions(engine, "dept.khtc"))


def _undo(client, app, batch_id: int, _values) -> str:
    pattern = {"type": ids.INTAKE_UNDO, "index": batch_id}
    body = {
        "output": f"{ids.INTAKE_UNDO_MESSAGE}.children",
        "outputs": {"id": ids.INTAKE_UNDO_MESSAGE, "property": "children"},
        "inputs": [[{"id": pattern, "property": "n_clicks", "value": 1}]],
        "state": [],
        "changedPropIds": [f'{{"index":{batch_id},"type":"{ids.INTAKE_UNDO}"}}.n_clicks'],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data
    return str(response.get_json()["response"][ids.INTAKE_UNDO_MESSAGE]["children"])


def test_a_department_cannot_load_a_dataset_it_does_not_supervise(warehouse) -> None:
    app, engine = warehouse
    client = client_as(app, "dept.khtc")
    before = _batches(engine)
    staff = "school_year,institution_code,teachers\n2025,T1,10\n"
    answer = _upload(client, app, staff, name="staff")
    assert answer[ids.INTAKE_TOKEN]["data"] is None
    assert "Không nhận tệp" in str(answer[ids.INTAKE_UPLOAD_MESSAGE]["children"])
    # A token of another user's upload is refused at commit, and nothing is written.
    admin = client_as(app, "admin")
    kept = _upload(admin, app, CLEAN)[ids.INTAKE_TOKEN]["data"]
    validated = _validate(admin, app, kept)[ids.INTAKE_VALIDATED]["data"]
    assert "Không ghi" in _commit(client, app, validated)
    assert _batches(engine) == before
    # The batches of another domain's dataset are not shown, and planners are refused (403).
    table = call(client, app, ids.INTAKE_BATCHES, {f"{ids.INTAKE_DATASET}.value": "staff"})
    assert ids.INTAKE_UNDO not in table.get_data(as_text=True)
    planner = call(client_as(app, "planner"), app, ids.INTAKE_RESULT, {})
    assert planner.status_code == 403


def test_the_validation_job_uses_the_app_that_started_it(tmp_path) -> None:
    """A process may hold several apps (a test worker, a wsgi server with a CLI app made
    after it): a job started on the first app reads that app's kept upload and warehouse,
    not those of the last app made (what ``dash.get_app()`` returns)."""
    first, _ = small_app(tmp_path / "first")
    small_app(tmp_path / "second")  # made later: dash.get_app() now names this one
    admin = client_as(first, "admin")
    kept = _upload(admin, first, CLEAN)
    validated = _validate(admin, first, kept[ids.INTAKE_TOKEN]["data"])
    assert validated[ids.INTAKE_VALIDATED]["data"]["clean"] is True
