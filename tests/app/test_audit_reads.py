"""Who read what (security review, finding 5): every read of non-public data is audited
where it is served — the page's data callbacks, not only its set-up — and the wall screen's
refresh, a claim any client can forge, is audited once per session per hour instead of never.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access.models import AuditLog
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as, sign_in


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_app(tmp_path_factory.mktemp("reads"))


def _reads(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                select(AuditLog.username, AuditLog.target)
                .where(AuditLog.action == "read")
                .order_by(AuditLog.id)
            )
        ]


@pytest.mark.parametrize(
    "user,output,values,target",
    [
        ("leader", "cr-tiles", {"cr-refresh.n_intervals": 0}, "control_room"),
        ("leader", "cr-units-layer", {"cr-kpi.value": "pupils"}, "control_room/map"),
        ("planner", "school-header", {"school-id.data": "1"}, "school/1"),
        ("planner", "ward-header", {"ward-code.data": "26743"}, "ward/26743"),
        # the data callbacks, called directly as a script would, without the page's set-up
        (
            "dept.khtc",
            "dom-series",
            {"dom-slug.data": "facilities", "dom-geo.value": "ward"},
            "domains/facilities",
        ),
        ("dept.khtc", "plan-tiles", {}, "plan"),
        ("planner", "fc-status", {"fc-level.value": "primary"}, "forecast"),
        ("leader", "dx-summary", {"dx-geo.value": "ward"}, "dx"),
    ],
)
def test_every_read_of_a_signed_in_view_is_audited(small, user, output, values, target) -> None:
    app, engine = small
    before = len(_reads(engine))
    response = call(client_as(app, user), app, output, values)
    assert response.status_code == 200, response.data
    assert _reads(engine)[before:] == [(user, target)]


def test_opening_a_page_writes_one_read_not_two(small) -> None:
    """The set-up callbacks serve choices only; the data callback writes the read."""
    app, engine = small
    before = len(_reads(engine))
    client = client_as(app, "dept.khtc")
    for output, values in (
        ("dom-header", {"dom-slug.data": "facilities", "dom-geo.value": "ward"}),
        ("plan-quarter", {"plan-params.data": {}}),
    ):
        assert call(client, app, output, values).status_code == 200
    assert _reads(engine)[before:] == []


def wall_refresh(client, app, tick: int):
    return call(
        client,
        app,
        "cr-tiles",
        {"cr-refresh.n_intervals": tick},
        triggered="cr-refresh.n_intervals",
    )


def test_the_wall_screens_refresh_is_audited_once_an_hour_per_session(small) -> None:
    app, engine = small
    wall = app.server.test_client()
    sign_in(wall, "leader")
    before = len(_reads(engine))
    for tick in range(1, 6):  # five refreshes, or five forged claims of one
        assert wall_refresh(wall, app, tick).status_code in (200, 204)
    assert _reads(engine)[before:] == [("leader", "control_room")]
    # another session of the same user is another screen: it leaves its own row
    other = app.server.test_client()
    sign_in(other, "leader")
    assert wall_refresh(other, app, 1).status_code in (200, 204)
    assert _reads(engine)[before:] == [("leader", "control_room")] * 2
