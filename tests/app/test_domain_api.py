"""``/api/v1/domains/<slug>/institutions``: a member system reads a domain per institution,
paged and filtered, within its token's scopes; every read is audited with its row count.

The core checks run on SQLite and on PostgreSQL + PostGIS (the ``warehouse`` fixture).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from data_access.models import AdminUnit, ApiToken, AuditLog, FactFacility, Institution
from data_access.tokens import create_token
from tests.app.control_room_data import build_small
from tests.helpers import add_users, client_as

ROWS = "/api/v1/domains/{}/institutions"
YEAR = 2025


@pytest.fixture
def warehouse(migrated_engine: Engine):
    """(app, engine) on the small warehouse, on SQLite and on PostgreSQL."""
    from ioc_app.app import create_app
    from ioc_app.core.config import test_config

    build_small(migrated_engine)
    add_users(migrated_engine)
    url = migrated_engine.url.render_as_string(hide_password=False)
    return create_app(test_config(url)), migrated_engine


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(app, engine) on the small SQLite warehouse, shared by the module's SQLite-only tests."""
    from tests.app.control_room_data import small_app

    app, engine = small_app(tmp_path_factory.mktemp("domain-api"))
    yield app, engine
    engine.dispose()


def _get(app, token: str, slug: str = "facilities", **params):
    headers = {"Authorization": f"Bearer {token}"}
    return app.server.test_client().get(ROWS.format(slug), query_string=params, headers=headers)


def _reporting(engine: Engine, year: int = YEAR) -> dict[int, tuple[str, str]]:
    """Institutions with facility facts in ``year``: id → (2025 ward code, level), by SQL."""
    query = (
        select(Institution.id, AdminUnit.code, Institution.level)
        .join(AdminUnit, AdminUnit.id == Institution.ward_id)
        .where(Institution.id.in_(select(FactFacility.institution_id).where(
            FactFacility.school_year == year
        )))
    )  # fmt: skip
    with engine.connect() as connection:
        return {i: (code, level or "other") for i, code, level in connection.execute(query)}


def _pages(app, token: str, per_page: int, **params) -> list[dict]:
    """Every page of a selection, following ``pages``."""
    first = _get(app, token, per_page=per_page, **params).get_json()
    answers = [first]
    for number in range(2, first["pages"] + 1):
        answers.append(_get(app, token, per_page=per_page, page=number, **params).get_json())
    return answers


@pytest.mark.parametrize("per_page", [1, 2, 4, 500])
def test_pages_partition_the_whole_selection(warehouse, per_page) -> None:
    app, engine = warehouse
    _, token = create_token(engine, "leader", "pages")
    expected = _reporting(engine)
    answers = _pages(app, token, per_page, year=YEAR)
    ids = [row["institution_id"] for answer in answers for row in answer["rows"]]
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    assert ids == sorted(ids)  # a stable order: by institution id
    assert {a["total"] for a in answers} == {len(expected)}
    assert len(answers) == -(-len(expected) // per_page)
    assert all(len(a["rows"]) <= per_page for a in answers)
    past = _get(app, token, per_page=per_page, page=len(answers) + 1, year=YEAR).get_json()
    assert past["rows"] == [] and past["total"] == len(expected)


def test_a_ward_scoped_token_gets_its_wards_only(warehouse) -> None:
    app, engine = warehouse
    expected = _reporting(engine)
    ward = sorted({code for code, _ in expected.values()})[0]
    _, token = create_token(engine, "leader", "one ward", wards=[ward])
    answer = _get(app, token, year=YEAR).get_json()
    assert {r["institution_id"] for r in answer["rows"]} == {
        i for i, (code, _) in expected.items() if code == ward
    }
    assert {r["ward_code"] for r in answer["rows"]} == {ward}
    other = next(code for code, _ in expected.values() if code != ward)
    refused = _get(app, token, year=YEAR, ward=other)
    assert refused.status_code == 403 and other in refused.get_json()["message"]


def test_a_token_for_one_domain_is_refused_another(warehouse) -> None:
    app, engine = warehouse
    _, token = create_token(engine, "leader", "facilities only", domains=["facilities"])
    assert _get(app, token).status_code == 200
    refused = _get(app, token, "students")
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "domain 'students' is outside this API token's scopes"


def test_each_read_is_audited_with_the_rows_it_returned(warehouse) -> None:
    app, engine = warehouse
    _, token = create_token(engine, "dept.khtc", "audited")
    answer = _get(app, token, year=YEAR, per_page=2, page=2, level="primary").get_json()
    with engine.connect() as connection:
        found = connection.execute(
            select(AuditLog.username, AuditLog.action, AuditLog.detail).where(
                AuditLog.target == "api/domains/facilities/institutions"
            )
        ).all()
    assert len(found) == 1
    username, action, detail = found[0]
    assert (username, action) == ("dept.khtc", "read")
    assert f"rows={len(answer['rows'])}" in detail.split()
    assert f"total={answer['total']}" in detail.split()
    assert {"school_year=2025", "level=primary", "page=2", "per_page=2"} <= set(detail.split())


def test_filters_and_figures_match_the_warehouse(small) -> None:
    app, engine = small
    _, token = create_token(engine, "leader", "filters")
    expected = _reporting(engine)
    for level in sorted({lvl for _, lvl in expected.values()}):
        rows = _get(app, token, year=YEAR, level=level).get_json()["rows"]
        assert {r["institution_id"] for r in rows} == {
            i for i, (_, lvl) in expected.items() if lvl == level
        }
    ward = sorted({code for code, _ in expected.values()})[-1]
    rows = _get(app, token, year=YEAR, ward=ward).get_json()["rows"]
    assert {r["institution_id"] for r in rows} == {
        i for i, (code, _) in expected.items() if code == ward
    }
    with engine.connect() as connection:
        rooms = dict(
            connection.execute(
                select(FactFacility.institution_id, FactFacility.classrooms).where(
                    FactFacility.school_year == YEAR
                )
            ).all()
        )
    every = _get(app, token, year=YEAR).get_json()
    assert {r["institution_id"]: r["values"]["classrooms"] for r in every["rows"]} == rooms
    assert every["generated"] is True and every["generated_rows"] > 0


def test_a_department_reads_its_own_domains_and_no_pupil_figures(small) -> None:
    app, engine = small
    _, token = create_token(engine, "dept.khtc", "khtc")
    facilities = _get(app, token, year=YEAR).get_json()
    keys = {item["key"] for item in facilities["indicators"]}
    assert "classrooms" in keys and "pupils" not in keys
    assert all(set(r["values"]) == keys for r in facilities["rows"])
    refused = _get(app, token, "students")
    assert refused.status_code == 403 and "'students'" in refused.get_json()["message"]
    # the same rules for a session, and a leader sees the pupils
    session = client_as(app, "dept.khtc").get(ROWS.format("students"))
    assert session.status_code == 403
    leader = client_as(app, "leader").get(ROWS.format("students"), query_string={"year": YEAR})
    assert "pupils" in leader.get_json()["rows"][0]["values"]


def test_an_expired_token_is_401_and_a_read_only_token_reads(small) -> None:
    app, engine = small
    info, token = create_token(engine, "leader", "short", expires=date.today() + timedelta(days=1))
    assert not info.scope.write_reports
    assert _get(app, token).status_code == 200  # read-only is enough to read
    with engine.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.id == info.id)
            .values(expires_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1))
        )
    expired = _get(app, token)
    assert expired.status_code == 401 and expired.get_json() == {"error": "invalid token"}
    assert app.server.test_client().get(ROWS.format("facilities")).status_code == 401


@pytest.mark.parametrize(
    "params,named",
    [
        ({"per_page": 501}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"year": "2024-25"}, "year"),
        ({"year": 1999}, "year"),
        ({"level": "university"}, "level"),
        ({"ward": "W1"}, "ward"),
        ({"sort": "name"}, "sort"),
        ({"page": ["1", "2"]}, "page"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(small, params, named) -> None:
    app, _engine = small
    client = client_as(app, "leader")
    response = client.get(ROWS.format("facilities"), query_string=params)
    assert response.status_code == 400, response.data
    assert response.get_json()["message"].startswith(f"{named}:")


def test_an_unknown_domain_ward_or_year_is_404_naming_it(small) -> None:
    app, _ = small
    client = client_as(app, "leader")
    response = client.get(ROWS.format("weather"))
    assert response.status_code == 404 and "'weather'" in response.get_json()["message"]
    for params, named in (({"ward": "99999"}, "ward:"), ({"year": 2030}, "year: 2030")):
        response = client.get(ROWS.format("facilities"), query_string=params)
        assert response.status_code == 404 and response.get_json()["message"].startswith(named)


def test_an_institution_is_one_row_even_when_its_fact_tables_disagree_on_its_unit(
    tmp_path,
) -> None:
    from data_access.models import FactOutcome
    from tests.app.control_room_data import small_app

    def move_outcomes(engine: Engine) -> None:
        with engine.begin() as connection:
            connection.execute(
                update(FactOutcome)
                .where(FactOutcome.institution_id == 1, FactOutcome.school_year == YEAR)
                .values(unit_id="W2")
            )

    app, engine = small_app(tmp_path, move_outcomes)
    _, token = create_token(engine, "leader", "students")
    answer = _get(app, token, "students", year=YEAR).get_json()
    ids = [row["institution_id"] for row in answer["rows"]]
    assert 1 in ids and len(ids) == len(set(ids)) == answer["total"]
    engine.dispose()


def test_the_areas_read_checks_its_parameters_from_the_same_models(small) -> None:
    app, _ = small
    client = client_as(app, "leader")
    areas = "/api/v1/domains/facilities/areas"
    for params, status, named in (
        ({"geo": "district"}, 400, "geo:"),
        ({"lang": "en"}, 400, "lang: unknown parameter"),
        ({"year": 2030}, 404, "year: 2030"),
    ):
        response = client.get(areas, query_string=params)
        assert response.status_code == status, params
        assert response.get_json()["message"].startswith(named)
