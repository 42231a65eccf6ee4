"""Row counts of every warehouse table."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select

from data_access.models import Base


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of ``Base.metadata`` (0 for tables the database does not have yet).

    Parameters
    ----------
    engine
        The warehouse engine.

    Returns
    -------
    dict
        Table name → number of rows, for every table of the schema.
    """
    existing = set(inspect(engine).get_table_names())
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                counts[table.name] = 0
                continue
            counts[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return counts
