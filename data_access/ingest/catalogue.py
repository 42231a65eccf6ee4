"""Every loadable dataset with its code attached: the declarations of
:mod:`data_access.ingest.datasets`, and the DX dataset's checker, writer and exporter from
:mod:`data_access.ingest.dx` (which reads its own declaration, hence two modules)."""

from __future__ import annotations

from dataclasses import replace

from data_access.ingest.datasets import DATASETS as DECLARED
from data_access.ingest.datasets import DX_ASSESSMENTS, Dataset
from data_access.ingest.dx import check_file, export_frame, write

DATASETS: dict[str, Dataset] = {
    **DECLARED,
    DX_ASSESSMENTS: replace(
        DECLARED[DX_ASSESSMENTS],
        checker=check_file,
        writer=write,
        exporter=export_frame,
    ),
}
