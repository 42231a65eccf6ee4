"""Callbacks and layout of /map, called over HTTP as the browser does (anonymously)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from dash import dcc
from sqlalchemy import select

from data_access.models import AuditLog
from ioc_app.core import ids
from ioc_app.core.guard import CALLBACK_REGISTRY
from ioc_app.services.registry import RESULT_FIELDS
from layouts.map import layout, parse_state
from tests.app.map_warehouse_data import HOSTILE_NAME, LQD, make_map_app

ALL_KINDS = [
    "school",
    "international_school",
    "continuing_education",
    "language_it_centre",
    "study_abroad",
    "life_skills",
    "representative_office",
]


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    app, engine, institution_ids = make_map_app(tmp_path_factory.mktemp("mapcb") / "m.sqlite")
    yield app, engine, institution_ids
    engine.dispose()


@pytest.fixture
def client(map_app):
    return map_app[0].server.test_client()


def _call(
    client,
    outputs: list[tuple[str, str]],
    inputs: list[tuple[Any, str, Any]],
    state: list[tuple[Any, str, Any]] = (),
    changed: list[str] | None = None,
) -> dict:
    """POST one callback like the Dash renderer does; returns ``{id: {prop: value}}``."""
    key = "...".join(f"{i}.{p}" for i, p in outputs)
    body = {
        "output": f"..{key}.." if len(outputs) > 1 else key,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": changed if changed is not None else [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data
    return response.get_json()["response"] if response.status_code == 200 else {}


def _results(client, query: str = "", kinds: list[str] | None = ALL_KINDS, **filters) -> dict:
    return _call(
        client,
        [(ids.MAP_RESULTS, "children"), (ids.MAP_COUNT, "children")],
        [
            (ids.MAP_QUERY_SENT, "data", query),
            (ids.MAP_KIND, "value", kinds),
            (ids.MAP_LEVEL, "value", filters.get("levels", [])),
            (ids.MAP_OWNERSHIP, "value", filters.get("ownership", "")),
            (ids.MAP_WARD, "value", filters.get("ward")),
            (ids.MAP_DISTRICT, "value", filters.get("district")),
            (ids.MAP_ORIGIN, "data", filters.get("origin")),
        ],
        [(ids.MAP_VIEW, "data", {"lang": filters.get("lang", "vi")})],
    )


def _texts(component: Any) -> list[str]:
    """Every string in a serialised component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [s for c in component for s in _texts(c)]
    if isinstance(component, dict):
        return [s for v in component.values() for s in _texts(v)]
    return []


def test_search_results_and_count(client) -> None:
    response = _results(client, "le quy don")
    texts = _texts(response[ids.MAP_RESULTS]["children"])
    assert texts.index(LQD) < len(texts)
    count = response[ids.MAP_COUNT]["children"]
    assert "kết quả cho “le quy don”" in count


def test_filtering_by_kind_changes_the_count(client) -> None:
    everything = _results(client)[ids.MAP_COUNT]["children"]
    centres = _results(client, kinds=["language_it_centre"])
    assert centres[ids.MAP_COUNT]["children"] != everything
    assert "Trung tâm Ngoại ngữ" in " ".join(_texts(centres[ids.MAP_RESULTS]))
    nothing = _results(client, kinds=[])
    assert nothing[ids.MAP_COUNT]["children"].startswith("Chọn ít nhất một loại hình")


def test_a_page_opened_in_english_answers_in_english(client) -> None:
    response = _results(client, "le quy don", lang="en")
    assert "results for “le quy don”" in response[ids.MAP_COUNT]["children"]
    assert "School" in " ".join(_texts(response[ids.MAP_RESULTS]))


def test_hostile_names_reach_the_list_only_as_text(client) -> None:
    response = _results(client, "hoa sen")
    raw = json.dumps(response)
    assert HOSTILE_NAME in _texts(response[ids.MAP_RESULTS]["children"])
    assert "dangerouslySetInnerHTML" not in raw and "Markdown" not in raw


def _details(
    client, selected: Any, *, initial: bool = False, given: bool = False, zoom: float = 10
) -> dict:
    return _call(
        client,
        [
            (ids.MAP_DETAILS, "children"),
            (ids.MAP_DETAILS_PANEL, "hidden"),
            (ids.MAP_HIGHLIGHT, "children"),
            (ids.MAP_MAP, "viewport"),
        ],
        [(ids.MAP_SELECTED, "data", selected)],
        [(ids.MAP_VIEW, "data", {"given": given}), (ids.MAP_MAP, "zoom", zoom)],
        changed=[] if initial else None,
    )


def test_details_show_public_facts_cutoffs_with_source_and_fly_to_the_school(
    client, map_app
) -> None:
    response = _details(client, map_app[2][LQD])
    texts = " ".join(_texts(response[ids.MAP_DETAILS]["children"]))
    for expected in (
        LQD,
        "Quận 3",
        "Phường Võ Thị Sáu",
        "Điểm chuẩn lớp 10",
        "hcmc_grade10_cutoffs_2015_2021_nv123.csv",
        "Mức 3",
        "41,1",
        "Số liệu thật",
        "Dữ liệu mô phỏng",
        "/30",
        "/50",
    ):
        assert expected in texts, expected
    assert response[ids.MAP_DETAILS_PANEL]["hidden"] is False
    viewport = response[ids.MAP_MAP]["viewport"]
    assert viewport["zoom"] == 16 and viewport["transition"] == "flyTo"
    closer = _details(client, map_app[2][LQD], zoom=18)[ids.MAP_MAP]["viewport"]
    assert closer["zoom"] == 18  # never zooms out to show a selection


def test_a_link_with_a_viewport_keeps_it_on_load(client, map_app) -> None:
    kept = _details(client, map_app[2][LQD], initial=True, given=True)
    assert ids.MAP_MAP not in kept  # no_update: the link's viewport wins
    moved = _details(client, map_app[2][LQD], initial=True, given=False)
    assert moved[ids.MAP_MAP]["viewport"]["transition"] == "setView"


def test_no_selection_hides_the_panel_and_unknown_ids_explain(client) -> None:
    assert _details(client, None)[ids.MAP_DETAILS_PANEL]["hidden"] is True
    missing = _details(client, 987654)
    assert "Không tìm thấy cơ sở này" in " ".join(_texts(missing))
    assert _details(client, "not-a-number")[ids.MAP_DETAILS_PANEL]["hidden"] is True


def test_licence_shown_for_non_public_units(client, map_app) -> None:
    centre = next(i for name, i in map_app[2].items() if name.startswith("Công ty Tư vấn du học"))
    texts = " ".join(_texts(_details(client, centre)))
    assert "Giấy phép hoạt động" in texts and "Còn hiệu lực" in texts and "01/01/2027" in texts


def _nearest(client, origin, kind="", count=10, radius=0) -> dict:
    return _call(
        client,
        [(ids.MAP_NEAREST, "children"), (ids.MAP_ORIGIN_LAYER, "children")],
        [
            (ids.MAP_ORIGIN, "data", origin),
            (ids.MAP_NEAREST_KIND, "value", kind),
            (ids.MAP_NEAREST_N, "value", count),
            (ids.MAP_RADIUS, "value", radius),
        ],
        [(ids.MAP_VIEW, "data", {"lang": "vi"})],
    )


def test_nearest_lists_the_chosen_kind_with_distances(client) -> None:
    origin = {"lon": 106.6862, "lat": 10.7798, "source": "click"}
    response = _nearest(client, origin, count=5)
    buttons = [c for c in json.dumps(response).split('"type": "map-nearest-item"')][1:]
    assert len(buttons) == 5
    texts = " ".join(_texts(response[ids.MAP_NEAREST]))
    assert " m" in texts or " km" in texts
    centres = " ".join(_texts(_nearest(client, origin, kind="study_abroad")))
    assert "Tư vấn du học" in centres and "Trường THPT" not in centres
    ring = _nearest(client, origin, radius=1)[ids.MAP_ORIGIN_LAYER]["children"]
    assert [c["type"] for c in ring] == ["CircleMarker", "Circle"]
    assert ring[1]["props"]["radius"] == 1000
    assert "Bấm “Vị trí của tôi”" in " ".join(_texts(_nearest(client, None)))


def test_export_has_public_columns_only_and_is_audited(client, map_app) -> None:
    response = _call(
        client,
        [(ids.MAP_DOWNLOAD, "data")],
        [(ids.MAP_EXPORT_CSV, "n_clicks", 1), (ids.MAP_EXPORT_XLSX, "n_clicks", None)],
        [
            (ids.MAP_QUERY, "value", ""),
            (ids.MAP_KIND, "value", ["study_abroad"]),
            (ids.MAP_LEVEL, "value", []),
            (ids.MAP_OWNERSHIP, "value", ""),
            (ids.MAP_WARD, "value", None),
            (ids.MAP_DISTRICT, "value", None),
        ],
    )
    payload = response[ids.MAP_DOWNLOAD]["data"]
    assert payload["content"].startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(payload["content"].removeprefix("\ufeff"))))
    assert rows and {r["kind"] for r in rows} == {"study_abroad"}
    assert set(rows[0]) <= set(RESULT_FIELDS)
    with map_app[1].connect() as conn:
        audit = conn.execute(select(AuditLog.action, AuditLog.target, AuditLog.username)).all()
    assert ("export", "co_so_giao_duc.csv", "anonymous") in audit


def _options(client, district: str | None) -> dict:
    return _call(
        client,
        [(ids.MAP_WARD, "options"), (ids.MAP_DISTRICT, "options"), (ids.MAP_DISTRICT, "value")],
        [(ids.MAP_WARD, "id", ids.MAP_WARD)],
        [(ids.MAP_DISTRICT, "value", district)],
    )


def test_ward_and_district_options(client) -> None:
    response = _options(client, None)
    assert len(response[ids.MAP_WARD]["options"]) == 168
    labels = [o["label"] for o in response[ids.MAP_DISTRICT]["options"]]
    assert "Quận 3" in labels and "Thành phố Thủ Đức" in labels
    assert ids.MAP_DISTRICT not in response or "value" not in response[ids.MAP_DISTRICT]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Quận 3", "OD770"),
        ("q3", "OD770"),
        ("quan 3", "OD770"),
        ("tp thu duc", "OD769"),
        ("Atlantis", None),
    ],
)
def test_a_district_named_in_a_link_becomes_its_id(client, given, expected) -> None:
    assert _options(client, given)[ids.MAP_DISTRICT]["value"] == expected


def _components(key: str) -> list[str]:
    return [part.rsplit(".", 1)[0] for part in key.strip(".").split("...")]


def _mine(keys) -> list[str]:
    return [k for k in keys if all(c.startswith("map-") for c in _components(k))]


def test_every_map_callback_is_public(map_app) -> None:
    registry = map_app[0].server.config[CALLBACK_REGISTRY]
    mine = _mine(registry)
    assert len(mine) >= 9 and all(registry[k].public for k in mine)


def test_callback_ids_exist_in_the_validation_layout(map_app) -> None:
    rendered = json.dumps(map_app[0].validation_layout.to_plotly_json(), default=_plain)
    for key in _mine(map_app[0].callback_map):
        for component in _components(key):
            assert f'"id": "{component}"' in rendered, component
    for dependency in map_app[0].callback_map.values():
        for item in dependency.get("inputs", []) + dependency.get("state", []):
            component = item["id"]
            if isinstance(component, str) and component.startswith("map-"):
                assert f'"id": "{component}"' in rendered, component


def _plain(value: Any) -> Any:
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else str(value)


def _find(component: Any, component_id: str) -> Any:
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def test_a_link_sets_the_initial_state(map_app) -> None:
    with map_app[0].server.test_request_context("/map"):
        page = layout(
            q="le quy don",
            kind="school,life_skills",
            level="upper_secondary",
            own="public",
            ward="W27139",
            district="OD770",
            id="36",
            lat="10.78",
            lon="106.69",
            z="15",
            nk="study_abroad",
            n="5",
            r="2",
        )
    assert _find(page, ids.MAP_QUERY).value == "le quy don"
    assert _find(page, ids.MAP_KIND).value == ["school", "life_skills"]
    assert _find(page, ids.MAP_OWNERSHIP).value == "public"
    assert _find(page, ids.MAP_DISTRICT).value == "OD770"
    assert _find(page, ids.MAP_SELECTED).data == 36
    points = _find(page, ids.MAP_POINTS)  # clusters of the view are fetched by the browser
    assert not {"url", "data", "cluster"} & set(points.to_plotly_json()["props"])
    canvas = _find(page, ids.MAP_MAP)
    assert canvas.center == [10.78, 106.69] and canvas.zoom == 15
    assert _find(page, ids.MAP_RADIUS).value == 2 and _find(page, ids.MAP_NEAREST_N).value == 5
    assert isinstance(_find(page, ids.MAP_DOWNLOAD), dcc.Download)


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "<script>", "lat": "nan", "lon": "1e999", "z": "-4", "id": "x", "own": "all"},
        {"q": "x" * 5000, "r": "-1", "n": "0", "level": "primary,,bogus", "ward": "W" * 100},
        {"kind": "none"},
    ],
)
def test_malformed_links_fall_back_to_defaults(params) -> None:
    state = parse_state(params)
    assert len(state["query"]) <= 200
    assert state["zoom"] == 10 and state["view_given"] is False
    assert state["selected"] is None and state["radius_km"] is None
    assert state["nearest_n"] == 10 and state["ownership"] == ""
    assert set(state["kinds"]) <= set(ALL_KINDS) and set(state["levels"]) <= {"primary"}
    if params.get("kind") == "none":
        assert state["kinds"] == []


def test_tiles_only_when_configured(make_app, sqlite_url) -> None:
    import dash_leaflet as dl

    def tile_layers(application) -> list:
        with application.server.test_request_context("/map"):
            canvas = _find(layout(), ids.MAP_MAP)
        return [c for c in canvas.children if isinstance(c, dl.TileLayer)]

    assert tile_layers(make_app(sqlite_url)) == []
    tiled = make_app(
        sqlite_url,
        tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
        tile_attribution="© Example",
    )
    [tiles] = tile_layers(tiled)
    assert tiles.url.startswith("https://tiles.example.org/") and tiles.attribution == "© Example"


def _listed_ids(component: Any) -> list[int]:
    """The institution ids of the result buttons, in list order."""
    if isinstance(component, list):
        return [i for c in component for i in _listed_ids(c)]
    if not isinstance(component, dict):
        return []
    found = []
    if isinstance(component.get("id"), dict) and component["id"].get("type") == ids.MAP_RESULT:
        found.append(component["id"]["id"])
    return found + [i for v in component.values() for i in _listed_ids(v)]


def test_with_nothing_asked_the_list_prompts_and_opens_on_public_schools(client, map_app) -> None:
    from data_access.models import Institution
    from data_access.models.institutions import KINDS, LEVELS, OWNERSHIPS
    from geo.vn_text import fold

    response = _results(client)
    texts = " ".join(_texts(response[ids.MAP_RESULTS]))
    assert "Gõ tên trường" in texts  # how to search, before anything is asked
    listed = _listed_ids(response[ids.MAP_RESULTS])
    with map_app[1].connect() as connection:
        rows = {
            r.id: r
            for r in connection.execute(
                select(Institution.id, Institution.kind, Institution.ownership)
                .add_columns(Institution.level, Institution.name)
                .where(Institution.id.in_(listed))
            )
        }

    def rank(row) -> tuple:
        place = lambda values, v: values.index(v) if v in values else len(values)  # noqa: E731
        return (
            place(KINDS, row.kind),
            place(OWNERSHIPS, row.ownership),
            place(LEVELS, row.level),
            fold(row.name),
        )

    ranks = [rank(rows[i]) for i in listed]
    assert ranks == sorted(ranks) and len(listed) > 1
    assert (rows[listed[0]].kind, rows[listed[0]].ownership) == ("school", "public")
    searched = " ".join(_texts(_results(client, "le quy don")[ids.MAP_RESULTS]))
    assert "Gõ tên trường" not in searched
