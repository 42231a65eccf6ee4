"""Domain pages use the one rule for late reports: a school that did not send its latest
report is estimated from its own history, so the sums do not drop; the page, its table and
its export say how many schools were estimated. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from sqlalchemy import Engine, delete

from data_access.models import FactEnrolment, FactOutcome
from data_access.queries import facts
from ioc_app.core.fmt import school_year_label
from tests.app.control_room_data import build_small
from tests.helpers import add_users, call, client_as, find_type

#: The school whose latest (2025) report of the students domain is dropped: a lower
#: secondary school of 2025 ward W1 (the small warehouse).
LATE_SCHOOL = 2
LATE_YEAR = 2025


def _drop_latest_report(engine: Engine) -> None:
    with engine.begin() as connection:
        for model in (FactEnrolment, FactOutcome):
            connection.execute(
                delete(model).where(
                    model.institution_id == LATE_SCHOOL, model.school_year == LATE_YEAR
                )
            )


def _pupils_by_year(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby("school_year")["pupils__num"].sum()


@pytest.fixture
def late_warehouse(migrated_engine: Engine) -> tuple[Engine, pd.Series]:
    """The small warehouse with school 2's 2025 students report dropped, and the city's
    pupils per year as they were before the drop."""
    build_small(migrated_engine)
    complete = _pupils_by_year(facts.domain_frame(migrated_engine, 1))
    _drop_latest_report(migrated_engine)
    return migrated_engine, complete


def test_a_late_report_does_not_make_the_domain_sum_drop(late_warehouse) -> None:
    engine, complete = late_warehouse
    frame = facts.domain_frame(engine, 1)
    after = _pupils_by_year(frame)
    reported = facts.enrolment(engine, [LATE_YEAR])["pupils"].sum()
    late_pupils_before = facts.enrolment(engine, [LATE_YEAR - 1], institution_id=LATE_SCHOOL)[
        "pupils"
    ].sum()
    # Without the rule the sum would lose the whole school; with it, it keeps it.
    assert complete[LATE_YEAR] - reported == pytest.approx(late_pupils_before)
    assert after[LATE_YEAR] > reported
    assert after[LATE_YEAR] >= after[LATE_YEAR - 1]
    assert after[LATE_YEAR] == pytest.approx(complete[LATE_YEAR], rel=0.25)
    assert after.drop(LATE_YEAR).to_dict() == pytest.approx(complete.drop(LATE_YEAR).to_dict())
    estimated = frame.groupby("school_year")["estimated_schools"].sum().to_dict()
    assert estimated == {2023: 0, 2024: 0, LATE_YEAR: 1}
    late_row = frame[frame["estimated_schools"] > 0]
    assert late_row[["unit_id", "level"]].values.tolist() == [["W1", "lower_secondary"]]


def _app(engine: Engine, make_app):
    add_users(engine)
    return make_app(engine.url.render_as_string(hide_password=False))


def _inputs(**values) -> dict:
    base = {
        "dom-year.value": LATE_YEAR,
        "dom-geo.value": "ward",
        "dom-area.value": "all",
        "dom-level.value": "all",
        "dom-ownership.value": "all",
        "dom-indicator.value": "pupils",
        "dom-slug.data": "students",
    }
    return {**base, **values}


def test_the_page_and_its_export_flag_the_estimated_school(late_warehouse, make_app) -> None:
    engine, _ = late_warehouse
    app = _app(engine, make_app)
    client = client_as(app, "leader")
    response = call(client, app, "dom-series", _inputs()).get_json()["response"]
    figure = response["dom-series"]["figure"]
    trace = figure["data"][0]
    assert trace["marker"]["symbol"] == ["circle", "circle", "diamond"]
    assert trace["customdata"][-1] == "<br>1 trường ước tính" and trace["customdata"][0] == ""
    notes = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert f"{school_year_label(LATE_YEAR)}: 1 trường" in notes
    rows = {r["area"]: r for r in find_type(response["dom-table"], "DataTable")["data"]}
    assert rows["Phường Sài Gòn"]["estimated_schools"] == 1
    assert sum(r["estimated_schools"] for r in rows.values()) == 1
    columns = json.dumps(
        find_type(response["dom-table"], "DataTable")["columns"], ensure_ascii=False
    )
    assert "Trường ước tính" in columns

    sent = call(
        client,
        app,
        "dom-download",
        {"dom-export-csv.n_clicks": 1, **_inputs()},
        triggered="dom-export-csv.n_clicks",
    ).get_json()["response"]["dom-download"]["data"]
    exported = pd.read_csv(io.StringIO(sent["content"])).set_index("unit")
    assert exported.loc["W1", "estimated_schools"] == 1
    assert exported["estimated_schools"].sum() == 1
    # The export's pupils are the page's: the estimated school is in the sum.
    assert exported["pupils"].sum() == pytest.approx(
        facts.domain_frame(engine, 1, years=[LATE_YEAR])["pupils__num"].sum(), abs=1
    )
