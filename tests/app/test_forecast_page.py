"""/forecast: its callbacks called as plain functions, and over HTTP for who may call them."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import select

from callbacks import forecast as page
from data_access import migrate
from data_access.db import make_engine
from data_access.models import AuditLog
from ioc_app.app import create_app
from ioc_app.core import config, ids
from layouts.forecast import read_state
from tests.analytics.test_forecast_service import build_small_warehouse
from tests.helpers import add_users, sign_in

CONTROLS = {
    "area": None,
    "level": "primary",
    "horizon": 5,
    "migration": 0,
    "norm": None,
    "added": None,
    "added_year": None,
}


@pytest.fixture(scope="module")
def fc_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small hand-made warehouse with one user per role, built once for this module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('forecast') / 'small.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    add_users(engine)
    build_small_warehouse(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def fc_app(fc_url: str):
    """One application on that warehouse (its cache is shared by the module's tests)."""
    return create_app(config.test_config(fc_url))


def _view(app, lang: str = "en", **controls):
    values = {**CONTROLS, **controls}
    with app.server.test_request_context(f"/forecast?lang={lang}"):
        return page.update_view(*values.values())


def _text(component) -> str:
    """All text inside a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def test_a_ward_shows_history_forecast_backtest_and_seat_gaps(fc_app) -> None:
    (
        status,
        figure,
        summary,
        notes,
        accuracy,
        gso,
        map_title,
        hideout,
        url,
        legend,
        worst,
        placeholder,
    ) = _view(fc_app, area="W1", horizon=4)
    assert status is None
    names = [trace["name"] for trace in figure["data"]]
    assert "Pupils (observed)" in names and "Forecast" in names and "80 % band" in names
    observed = next(tr for tr in figure["data"] if tr["name"] == "Pupils (observed)")
    assert observed["y"].tolist() == [5 * (40 + 2 * k) for k in range(11)]
    assert figure["layout"]["title"]["text"] == "Unit W1 · Primary"
    assert "School year 2029–2030" in _text(summary)
    assert "Seats" in _text(summary) and "6 classrooms × 35 pupils" in _text(summary)
    assert "Years ahead" in _text(accuracy) and "2020–2024" in _text(accuracy)
    assert "56 provinces" in _text(gso)
    assert "2029–2030" in map_title
    assert set(hideout["classes"]) == {"W1", "W2"}  # W3 has no primary pupils
    assert hideout["selected"] == ["W1"] and url == "/forecast/wards.geojson"
    assert "Unit W1" in _text(worst) or "No ward is short" in _text(worst)
    assert placeholder == "35"
    assert "Over 20 % short" in _text(legend)
    assert "2025–2026" in _text(notes)


def test_levers_move_the_forecast_seats_and_the_map(fc_app) -> None:
    base = _view(fc_app, area="W1", horizon=3)
    moved = _view(fc_app, area="W1", horizon=3, migration=2.0, norm=20, added=4, added_year=2027)
    base_fc = next(tr for tr in base[1]["data"] if tr["name"] == "Forecast")["y"]
    moved_fc = next(tr for tr in moved[1]["data"] if tr["name"] == "Forecast")["y"]
    assert moved_fc[-1] == pytest.approx(base_fc[-1] * 1.02**3)
    assert any(tr["name"] == "Baseline (no scenario)" for tr in moved[1]["data"])
    seats = next(tr for tr in moved[1]["data"] if tr["name"].startswith("Seats"))
    assert seats["y"][-1] == pytest.approx((6 + 4) * 20)
    assert seats["y"][-3] == pytest.approx(6 * 20)  # 2026: the new classrooms open in 2027
    assert moved[7]["labels"]["W1"] != base[7]["labels"]["W1"]


def test_districts_the_city_and_unknown_areas(fc_app) -> None:
    district = _view(fc_app, area="OD1", level="lower_secondary", migration=1.0)
    assert district[1]["layout"]["title"]["text"] == "Unit OD1 · Lower secondary"
    assert district[7]["selected"] == ["W1"]  # W1 came mostly from OD1
    assert "the 38 former districts" in _text(district[4])
    city = _view(fc_app, lang="vi")
    assert city[1]["layout"]["title"]["text"] == "Toàn thành phố · Tiểu học"
    assert "56 tỉnh" in _text(city[3])  # the city's band comes from the provinces
    unknown = _view(fc_app, area="W99")
    assert "W99" in _text(unknown[0])
    assert unknown[1]["layout"]["title"]["text"] == "Whole city · Primary"
    no_level = _view(fc_app, area="W3", level="primary")
    assert "has no primary pupils" in _text(no_level[0])


def test_an_empty_warehouse_says_what_to_load(app) -> None:
    outputs = _view(app)
    assert "Load enrolment data" in _text(outputs[0])
    assert outputs[1]["data"] == []


def test_area_options_list_the_city_wards_and_former_districts(fc_app) -> None:
    with fc_app.server.test_request_context("/forecast?lang=en"):
        options, years, default_year = page.area_options(None)
    values = [o["value"] for o in options]
    assert values[0] == "P79" and options[0]["label"] == "Whole city"
    assert {"W1", "W2", "W3", "OD1", "OD2", "OD3"} <= set(values)
    labels = {o["value"]: o["label"] for o in options}
    assert labels["OD1"] == "Unit OD1 (former)"
    assert labels["OD3"] == "Đơn vị OD3 (former)"  # no English name: the Vietnamese one
    assert [y["value"] for y in years] == list(range(2026, 2036))
    # the empty box says which year new classrooms open in by default: the first forecast one
    assert default_year == years[0]["label"]


def test_url_values_are_clamped_and_checked() -> None:
    state = read_state(
        area="W1<script>", level="college", h="99", mig="abc", norm="5", add="-3", addyear="2030"
    )
    assert state.area is None and state.level == "primary" and state.horizon == 10
    assert state.migration == 0 and state.norm == 10 and state.added == 0
    assert state.added_year == 2030
    assert read_state(mig="-7.26", h="0").migration == -5 and read_state(h="0").horizon == 1


def _callback_key(app, needle: str) -> str:
    return next(key for key in app.callback_map if needle in key)


def _body(
    key: str,
    inputs: list[tuple[str, str, object]],
    state: list[tuple[str, str, object]],
    outputs: list[tuple[str, str]],
    changed: str,
) -> dict:
    return {
        "output": key,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [changed],
    }


def _controls(values: dict) -> list[tuple[str, str, object]]:
    return [
        (control, "value", value)
        for control, value in zip(page.CONTROLS, values.values(), strict=True)
    ]


VIEW_OUTPUTS = [
    (ids.FC_STATUS, "children"),
    (ids.FC_CHART, "figure"),
    (ids.FC_SUMMARY, "children"),
    (ids.FC_NOTES, "children"),
    (ids.FC_ACCURACY, "children"),
    (ids.FC_GSO, "children"),
    (ids.FC_MAP_TITLE, "children"),
    (ids.FC_WARDS_LAYER, "hideout"),
    (ids.FC_WARDS_LAYER, "url"),
    (ids.FC_LEGEND, "children"),
    (ids.FC_WORST, "children"),
    (ids.FC_NORM, "placeholder"),
]


@pytest.mark.parametrize(
    ("user", "status"), [(None, 401), ("dept.gdtrh", 403), ("planner", 200), ("leader", 200)]
)
def test_who_may_run_the_forecast(fc_app, user: str | None, status: int) -> None:
    client = fc_app.server.test_client()
    if user:
        sign_in(client, user)
    key = _callback_key(fc_app, "fc-chart.figure")
    body = _body(
        key, _controls({**CONTROLS, "area": "W2"}), [], VIEW_OUTPUTS, f"{ids.FC_AREA}.value"
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == status, response.data[:300]
    if status == 200:
        figure = response.get_json()["response"][ids.FC_CHART]["figure"]
        assert figure["layout"]["title"]["text"].startswith("Đơn vị W2")
    layer = client.get("/forecast/wards.geojson", headers={"Accept-Encoding": "gzip"})
    assert layer.status_code == status
    if status == 200:
        assert layer.headers["Content-Encoding"] == "gzip"
        features = json.loads(gzip.decompress(layer.data))["features"]
        assert sorted(f["id"] for f in features) == ["W1", "W2", "W3"]
    page_status = client.get("/forecast").status_code
    assert page_status == {401: 302, 403: 403, 200: 200}[status]


def test_exports_are_files_and_are_audited(fc_app, fc_url) -> None:
    client = fc_app.server.test_client()
    sign_in(client, "planner")
    key = _callback_key(fc_app, "fc-download.data")
    buttons = [ids.FC_EXPORT_CSV, ids.FC_EXPORT_XLSX, ids.FC_GAPS_CSV, ids.FC_GAPS_XLSX]
    for button, expected in zip(
        buttons,
        [
            "forecast_W1_primary.csv",
            "forecast_W1_primary.xlsx",
            "seat_gaps_primary_2030.csv",
            "seat_gaps_primary_2030.xlsx",
        ],
        strict=True,
    ):
        inputs = [(b, "n_clicks", 1 if b == button else None) for b in buttons]
        body = _body(
            key,
            inputs,
            _controls({**CONTROLS, "area": "W1"}),
            [(ids.FC_DOWNLOAD, "data")],
            f"{button}.n_clicks",
        )
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.data[:300]
        download = response.get_json()["response"][ids.FC_DOWNLOAD]["data"]
        assert download["filename"] == expected
        if expected.endswith(".csv"):
            assert download["content"].startswith("\ufeff")  # Excel reads it as UTF-8
            header = download["content"].removeprefix("\ufeff").splitlines()[0]
            assert header.startswith("area_code,area_name,level")
    engine = make_engine(fc_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.action, AuditLog.target, AuditLog.username).where(
                AuditLog.action == "export"
            )
        ).all()
    engine.dispose()
    assert sorted(r.target for r in rows) == sorted(
        [
            "forecast_W1_primary.csv",
            "forecast_W1_primary.xlsx",
            "seat_gaps_primary_2030.csv",
            "seat_gaps_primary_2030.xlsx",
        ]
    )
    assert {r.username for r in rows} == {"planner"}


def _warehouse(folder, late: tuple[int, ...] = ()) -> str:
    """The small forecast warehouse in ``folder``; the schools in ``late`` send neither
    pupils nor classrooms for 2025, the last year."""
    from sqlalchemy import delete

    from data_access.db import transaction
    from data_access.models import FactEnrolment, FactFacility

    url = f"sqlite:///{folder / 'late.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    build_small_warehouse(engine)
    with transaction(engine) as session:
        for model in (FactEnrolment, FactFacility):
            session.execute(
                delete(model).where(model.institution_id.in_(late), model.school_year == 2025)
            )
    engine.dispose()
    return url


def test_a_school_missing_from_the_last_year_is_said_in_the_notes(tmp_path) -> None:
    """School 3 (W1, lower secondary) sends nothing for 2025: W1's notes say 1 of its 2
    schools has not reported and that 1 school is estimated; the chart marks 2025; W2,
    complete, says nothing of the kind."""
    app = create_app(config.test_config(_warehouse(tmp_path, late=(3,))))
    notes = _text(_view(app, area="W1", level="primary")[3])
    assert "School year 2025–2026: 1 of the 2 institutions of this area have not reported" in notes
    output = _view(app, area="W1", level="lower_secondary")
    notes = _text(output[3])
    assert "2025–2026: 1 schools estimated (≈ " in notes
    history = next(trace for trace in output[1]["data"] if trace["name"] == "Pupils (observed)")
    assert history["marker"]["symbol"][-1] == "diamond-open"
    assert set(history["marker"]["symbol"][:-1]) == {"circle"}
    assert history["customdata"][-1] == " (1 schools estimated)"
    vietnamese = _text(_view(app, lang="vi", area="W1", level="lower_secondary")[3])
    assert "1 trường ước tính" in vietnamese
    assert "have not reported" not in _text(_view(app, area="W2", level="primary")[3])
    assert "estimated" not in _text(_view(app, area="W2", level="primary")[3])


def _series(url: str, area: str, level: str):
    """The page's history of pupils and classrooms (the seats' capacity) of one area."""
    from ioc_app.services import forecasts
    from ioc_app.services.forecast_state import ViewState

    app = create_app(config.test_config(url))
    with app.server.test_request_context("/forecast?lang=en"):
        table = forecasts.compute_view(ViewState(area=area, level=level)).table
    return table[table["period"] == "history"].set_index("year")


@pytest.mark.parametrize(
    "area,level", [("P79", "primary"), ("W1", "primary"), ("W1", "lower_secondary")]
)
def test_missing_reports_make_no_drop_in_pupils_or_capacity(tmp_path, area, level) -> None:
    """Schools 1 and 3 (both of W1) send nothing for 2025. The page's pupils and classrooms
    follow the complete warehouse's in every year (the late schools are estimated from
    their own history), where the reported part alone loses them."""
    complete = _series(_warehouse(tmp_path / "complete"), area, level)
    late = _series(_warehouse(tmp_path / "late", late=(1, 3)), area, level)
    assert late.index.tolist() == complete.index.tolist()
    for column in ("pupils", "classrooms"):
        assert late[column].to_numpy() == pytest.approx(complete[column].to_numpy(), rel=0.05)
    assert late.loc[2025, "estimated_schools"] == 1
    assert (late.drop(index=2025)["estimated_schools"] == 0).all()
    reported = late.loc[2025, "pupils"] - late.loc[2025, "estimated_pupils"]
    assert reported < 0.8 * complete.loc[2025, "pupils"]
