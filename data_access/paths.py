"""Where the real reference data lives (``IOC_SHARED_DATA``, default ``../shared/data``)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The reference data folder: ``IOC_SHARED_DATA``, default ``<repo>/../shared/data``."""
    return Path(os.environ.get("IOC_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
