"""Ingestion of member-system files (validate → transaction → audit) and exports back."""

from data_access.ingest.datasets import DATASETS
from data_access.ingest.load import IngestError, IngestReport, export, ingest, template

__all__ = ["DATASETS", "IngestError", "IngestReport", "export", "ingest", "template"]
