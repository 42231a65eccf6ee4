"""Ingestion batches: one per data domain and school year, with the last load times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from data_access.reference.plan import DOMAIN_SYSTEMS

#: Dataset name of each domain's yearly load.
#: (Names as in data_access.ingest.datasets; domain 1's batch also carries the outcomes.)
DATASETS = {
    1: "enrolment",
    2: "staff",
    3: "facilities",
    4: "exams",
    5: "nonpublic",
    6: "health",
    7: "administration",
}
#: When a school year's data of each domain is loaded: (months after 1 January of the
#: following calendar year, day). Yearly data arrive after the school year ends.
#: Share of non-reporting institutions above which a load's ``errors`` reports the gap.
PARTIAL_SHARE = 0.03
LOAD_MONTH_DAY = {1: (6, 20), 2: (7, 5), 3: (7, 20), 4: (7, 28), 5: (8, 10), 6: (6, 30), 7: (6, 30)}


def batch_ids(years: list[int], first_id: int = 1) -> dict[tuple[int, int], int]:
    """Ids of the (domain, year) batches, in a fixed order."""
    ids, next_id = {}, first_id
    for domain in sorted(DATASETS):
        for year in years:
            ids[(domain, year)] = next_id
            next_id += 1
    return ids


def batch_frame(
    ids: dict[tuple[int, int], int],
    rows: dict[tuple[int, int], int],
    missing: dict[tuple[int, int], int],
    expected: dict[tuple[int, int], int],
) -> pd.DataFrame:
    """IngestionBatch rows: dataset, source system, load window, rows, reporting gaps.

    Every load is ``done`` (the status the ingestion pipeline writes); when more than
    :data:`PARTIAL_SHARE` of the institutions did not report, ``errors`` says how many. A
    batch without rows (the stale domain's missing year) is not written: that is what makes
    the domain stale.
    """
    out = []
    for (domain, year), batch in sorted(ids.items(), key=lambda item: item[1]):
        loaded = rows.get((domain, year), 0)
        if loaded == 0:
            continue
        month, day = LOAD_MONTH_DAY[domain]
        finished = datetime(year + 1, month, day, 22, 15)
        gaps = missing.get((domain, year), 0)
        if gaps <= PARTIAL_SHARE * max(expected.get((domain, year), 0), 1):
            gaps = 0
        out.append(
            {
                "id": batch,
                "dataset": DATASETS[domain],
                "domain_id": domain,
                "source_system": DOMAIN_SYSTEMS[domain],
                "filename": f"{DATASETS[domain]}_{year}-{year + 1}.xlsx",
                "started_at": finished - timedelta(minutes=4 + domain),
                "finished_at": finished,
                "status": "done",
                "rows_in": loaded,
                "rows_loaded": loaded,
                "errors": None if gaps == 0 else f"{gaps} institutions did not report this year",
                "generated": True,
                "username": "etl",
            }
        )
    return pd.DataFrame(out)
