"""Revision 0002 keeps the plan rows written before it and gives them keys and reporters."""

from __future__ import annotations

from sqlalchemy import Engine, text

from data_access import migrate


def test_0002_backfills_keys_reporters_and_states(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, "0001")
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan_unit (code, name_vi, name_en, kind) "
                "VALUES ('KHTC', 'Phòng KHTC', 'Finance', 'division')"
            )
        )
        for task_id, kind in ((1, "item"), (2, "dx")):
            connection.execute(
                text(
                    'INSERT INTO plan_task (id, kind, code, "group", title_vi, lead_units, '
                    "due, source) VALUES (:id, :kind, '1.1', 'g', 't', 'KHTC', "
                    "'2023-12-31', 'test')"
                ),
                {"id": task_id, "kind": kind},
            )
        for report_id, quarter, submitted in (
            (1, "2023Q1", "2023-03-20 03:00:00"),
            (2, "2023Q2", "2023-06-26 03:00:00"),
            (3, "2023Q3", None),
        ):
            connection.execute(
                text(
                    "INSERT INTO quarterly_report (id, unit_code, quarter, due_on, "
                    "submitted_at, generated) VALUES (:id, 'KHTC', :q, :due, :at, TRUE)"
                ),
                {
                    "id": report_id,
                    "q": quarter,
                    "due": f"{quarter[:4]}-0{3 * int(quarter[-1])}-25"
                    if int(quarter[-1]) < 4
                    else f"{quarter[:4]}-12-25",
                    "at": submitted,
                },
            )
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        keys = connection.execute(text("SELECT key FROM plan_task ORDER BY id")).scalars().all()
        reports = connection.execute(
            text("SELECT reporter, state, late FROM quarterly_report ORDER BY id")
        ).all()
    assert keys == ["P2023-1.1", "DX-1.1"]
    assert [(r, s, bool(late)) for r, s, late in reports] == [
        ("KHTC", "submitted", False),
        ("KHTC", "submitted", True),
        ("KHTC", "draft", False),
    ]
    migrate.downgrade(empty_engine, "0001")
    with empty_engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM quarterly_report")).scalar()
    assert count == 3
