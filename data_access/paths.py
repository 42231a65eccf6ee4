"""Where the real reference data lives (``IOC_SHARED_DATA``, default ``<repo>/data/reference``)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: The copy of the reference data kept in the repository (see its README.md).
REFERENCE_DATA = REPO / "data" / "reference"


def shared_data_dir() -> Path:
    """The reference data folder: ``IOC_SHARED_DATA`` if set, else ``<repo>/data/reference``."""
    return Path(os.environ.get("IOC_SHARED_DATA") or REFERENCE_DATA).resolve()
