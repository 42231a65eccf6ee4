"""Who read what: opening a signed-in view writes one audit entry; the wall's refresh does not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access.models import AuditLog
from tests.app.control_room_data import small_app
from tests.helpers import call, client_as


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
        ("planner", "school-header", {"school-id.data": "1"}, "school/1"),
        ("planner", "ward-header", {"ward-code.data": "26743"}, "ward/26743"),
        ("dept.khtc", "plan-quarter", {"plan-params.data": {}}, "plan"),
        ("planner", "fc-area", {"fc-root.id": "fc-root"}, "forecast"),
        ("leader", "dx-header", {"dx-geo.value": "ward"}, "dx"),
    ],
)
def test_opening_a_view_is_audited(small, user, output, values, target) -> None:
    app, engine = small
    before = len(_reads(engine))
    response = call(client_as(app, user), app, output, values)
    assert response.status_code == 200, response.data
    reads = _reads(engine)
    assert reads[before:] == [(user, target)]


def test_the_wall_screens_refresh_is_not_a_new_read(small) -> None:
    app, engine = small
    leader = client_as(app, "leader")
    before = len(_reads(engine))
    response = call(
        leader, app, "cr-tiles", {"cr-refresh.n_intervals": 7}, triggered="cr-refresh.n_intervals"
    )
    assert response.status_code in (200, 204)
    assert len(_reads(engine)) == before
