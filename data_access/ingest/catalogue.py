"""Every loadable dataset with its code attached: the declarations of
:mod:`data_access.ingest.datasets`, and the checker, writer and exporter of the datasets that
bring their own (``dx_assessments`` from :mod:`data_access.ingest.dx`, ``institutions`` from
:mod:`data_access.ingest.registry`, ``plan_reports`` from :mod:`data_access.ingest.reports`),
which read their own declarations, hence two modules."""

from __future__ import annotations

from dataclasses import replace

import data_access.ingest.dx as dx
import data_access.ingest.registry as registry
import data_access.ingest.reports as reports
from data_access.ingest.datasets import DATASETS as DECLARED
from data_access.ingest.datasets import DX_ASSESSMENTS, INSTITUTIONS, PLAN_REPORTS, Dataset

DATASETS: dict[str, Dataset] = {
    **DECLARED,
    DX_ASSESSMENTS: replace(
        DECLARED[DX_ASSESSMENTS],
        checker=dx.check_file,
        writer=dx.write,
        exporter=dx.export_frame,
    ),
    INSTITUTIONS: replace(
        DECLARED[INSTITUTIONS],
        checker=registry.check_file,
        writer=registry.write,
        exporter=registry.export_frame,
    ),
    PLAN_REPORTS: replace(
        DECLARED[PLAN_REPORTS],
        checker=reports.check_file,
        writer=reports.write,
        exporter=reports.export_frame,
    ),
}
