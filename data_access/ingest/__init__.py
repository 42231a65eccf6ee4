"""Ingestion of member-system files (validate → transaction → audit) and exports back."""

from data_access.ingest.catalogue import DATASETS
from data_access.ingest.load import IngestError, IngestReport, export, ingest, template
from data_access.ingest.reading import FileLimits

__all__ = ["DATASETS", "FileLimits", "IngestError", "IngestReport", "export", "ingest", "template"]
