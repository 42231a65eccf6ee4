"""The intake page's service: who may load which dataset, uploads kept on the server between
validation and commit, the commit itself, the batches and their undoing. Dash-free.

An uploaded file never travels back to the browser: its bytes are kept in the application
cache (Redis with ``REDIS_URL``) under a random token, together with who uploaded it, the
dataset and the bytes' SHA-256. The browser holds only the token. Commit reads the bytes from
the cache again, checks that they belong to the caller and still have the SHA-256 that was
validated, validates them once more and only then writes them.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from data_access.ingest import DATASETS, FileLimits, ledger
from data_access.ingest.datasets import INSTITUTIONS, PLAN_REPORTS
from data_access.ingest.load import IngestReport, Validation, commit, validate
from data_access.models import IngestionBatch
from ioc_app.core import audit
from ioc_app.core.principal import Principal
from ioc_app.core.warehouse import cache
from ioc_app.services import registry
from ioc_app.services.domains import domains
from ioc_app.services.indicators import version

#: How long an uploaded file waits on the server for its commit (seconds).
UPLOAD_TTL = 3600
#: The ingestion limits the page applies (those of ``ingest``).
LIMITS = FileLimits()
SUFFIXES = (".csv", ".xlsx")
_KEY = "intake-upload:"


class IntakeRefusedError(ValueError):
    """What the caller may not do (another domain's dataset, someone else's upload…)."""


def _domain_rows() -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in domains(version())}


def may_ingest(who: Principal, name: Any) -> bool:
    """Whether ``who`` may load dataset ``name``: an admin any, a department the datasets of
    the domains whose supervising units include one of its own, and its units' quarterly
    reports (each row is then checked by the report rules for that department)."""
    if not isinstance(name, str) or name not in DATASETS:
        return False
    if who.role == "admin":
        return True
    if who.role != "department":
        return False
    if name == PLAN_REPORTS:  # a unit's own reports; the rows are checked as on /report
        return True
    row = _domain_rows().get(DATASETS[name].domain_id)
    return row is not None and bool(who.units & frozenset(row["supervising_units"]))


def datasets_for(who: Principal) -> list[dict[str, Any]]:
    """The datasets ``who`` may load, with their domain (``name, domain_id, slug, …``)."""
    rows = _domain_rows()
    out = []
    for name, dataset in DATASETS.items():
        if may_ingest(who, name):
            domain = rows.get(dataset.domain_id, {})
            out.append(
                {
                    "name": name,
                    "title": dataset.title,
                    "domain_id": dataset.domain_id,
                    "slug": domain.get("slug"),
                    "domain_vi": domain.get("name_vi"),
                    "domain_en": domain.get("name_en"),
                }
            )
    return out


def domain_slug(name: str) -> str | None:
    """The slug of the domain page that shows dataset ``name``."""
    row = _domain_rows().get(DATASETS[name].domain_id)
    return row["slug"] if row else None


def max_upload_bytes(request_limit: int | None) -> int:
    """The largest file the page accepts: the ingestion limit, and what fits in one request
    once base64-encoded (4 bytes for 3, plus the rest of the request)."""
    if not request_limit:
        return LIMITS.max_bytes
    return min(LIMITS.max_bytes, (request_limit - 64 * 1024) * 3 // 4)


@dataclass(frozen=True)
class Upload:
    """A file kept on the server between its validation and its commit."""

    token: str
    username: str
    role: str
    units: tuple[str, ...]
    dataset: str
    filename: str
    sha256: str
    data: bytes

    def uploader(self) -> Principal:
        """The caller who uploaded it, as the guard knew them then."""
        return Principal(username=self.username, role=self.role, units=frozenset(self.units))


def safe_filename(filename: Any) -> str:
    """The file's own name without folders, at most 120 characters."""
    text = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return text[-120:] or "upload.csv"


def keep(who: Principal, name: str, filename: str, data: bytes, limit: int) -> Upload:
    """Keep an upload for ``who`` after checking the dataset, the size and the file type."""
    if not may_ingest(who, name):
        raise IntakeRefusedError(f"{who.username} may not load dataset {name!r}")
    shown = safe_filename(filename)
    if not shown.lower().endswith(SUFFIXES):
        raise IntakeRefusedError("only CSV and XLSX files can be loaded")
    if len(data) > limit:
        raise IntakeRefusedError(f"the file is {len(data)} bytes; the limit is {limit} bytes")
    upload = Upload(
        token=secrets.token_urlsafe(24),
        username=who.username,
        role=who.role,
        units=tuple(sorted(who.units)),
        dataset=name,
        filename=shown,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    cache.set(_KEY + upload.token, upload, timeout=UPLOAD_TTL)
    return upload


def kept(token: Any) -> Upload | None:
    """The upload under ``token``, or None (unknown, expired or forged)."""
    if not isinstance(token, str) or not 8 <= len(token) <= 64:
        return None
    found = cache.get(_KEY + token)
    return found if isinstance(found, Upload) else None


def owned(who: Principal, token: Any) -> Upload:
    """The caller's own upload under ``token``, still allowed for them."""
    upload = kept(token)
    if upload is None:
        raise IntakeRefusedError("the uploaded file is no longer kept; upload it again")
    if upload.username != who.username:
        raise IntakeRefusedError("this upload belongs to another user")
    if not may_ingest(who, upload.dataset):
        raise IntakeRefusedError(f"{who.username} may not load dataset {upload.dataset!r}")
    return upload


def forget(token: str) -> None:
    """Drop a kept upload."""
    cache.delete(_KEY + token)


def check(engine: Engine, upload: Upload) -> Validation:
    """Validate an upload's bytes (written to a private temporary file, then removed)."""
    suffix = Path(upload.filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="ioc-intake-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(upload.data)
        checked = validate(engine, upload.dataset, path, limits=LIMITS, caller=upload.uploader())
        checked.frame = checked.frame.copy()
    return checked


def problems_frame(checked: Validation) -> pd.DataFrame:
    """Every problem of a validation: row, column, value, reason."""
    rows = [p.as_dict() for p in checked.problems]
    frame = pd.DataFrame(rows, columns=["row", "column", "value", "message"])
    return frame.rename(columns={"message": "reason"})


def record(engine: Engine, who: Principal, action: str, target: str, detail: str) -> None:
    """An audit entry written for ``who`` (a background job has no request to take it from)."""
    audit.write(engine, who, action, target, detail)


def commit_upload(engine: Engine, who: Principal, token: Any, sha256: Any) -> IngestReport:
    """Commit the caller's upload: the same bytes (by SHA-256) validated again, written in one
    transaction with its ledger and audit entry; the upload is then forgotten, so a second
    commit of it is refused (and a re-upload of the same file changes nothing)."""
    upload = owned(who, token)
    if not isinstance(sha256, str) or sha256 != upload.sha256:
        raise IntakeRefusedError("the file validated is not the file kept; upload it again")
    checked = check(engine, upload)
    if checked.problems:
        raise IntakeRefusedError(f"the file has {len(checked.problems)} problem(s); not loaded")
    if checked.sha256 != upload.sha256:  # the bytes read back are the bytes uploaded
        raise IntakeRefusedError("the file changed on the server; upload it again")
    forget(upload.token)
    report = commit(
        engine,
        checked,
        username=who.username,
        source_system="intake",
        role=who.label,
        filename=upload.filename,
    )
    _refresh_map(upload.dataset)
    return report


def _refresh_map(dataset: str) -> None:
    """After a registry batch (or its undo), the public map and its search are rebuilt at the
    next request instead of serving the old snapshot for up to a fingerprint's lifetime."""
    if dataset == INSTITUTIONS:
        registry.forget_fingerprint()


def batches(engine: Engine, who: Principal, name: str, limit: int = 20) -> list[dict[str, Any]]:
    """The dataset's latest file batches, newest first, each with ``may_undo`` for ``who``."""
    query = (
        select(IngestionBatch.__table__)
        .where(IngestionBatch.dataset == name, IngestionBatch.generated.is_(False))
        .order_by(IngestionBatch.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    summaries = {s.id: s for s in ledger.summaries(engine, datasets=[name], limit=limit)}
    latest = next((r["id"] for r in rows if r["status"] == ledger.COMMITTED), None)
    out = []
    for row in rows:
        summary = summaries.get(row["id"])
        reason = ledger.may_undo(row, username=who.username, is_admin=who.role == "admin")
        out.append(
            {
                "id": row["id"],
                "filename": row["filename"],
                "username": row["username"],
                "started_at": row["started_at"],
                "status": row["status"],
                "inserted": summary.inserted if summary else 0,
                "updated": summary.updated if summary else 0,
                "unchanged": summary.unchanged if summary else 0,
                "removed": summary.removed if summary else 0,
                "may_undo": reason is None and row["id"] == latest,
            }
        )
    return out


def undo_batch(engine: Engine, who: Principal, batch_id: Any) -> int:
    """Undo batch ``batch_id`` for ``who`` if the rules allow it (re-checked in the ledger's
    transaction); a dataset the caller may not load is refused first."""
    if not isinstance(batch_id, int) or isinstance(batch_id, bool):
        raise IntakeRefusedError("no such batch")
    with engine.connect() as connection:
        dataset = connection.execute(
            select(IngestionBatch.dataset).where(IngestionBatch.id == batch_id)
        ).scalar_one_or_none()
    if dataset is None or not may_ingest(who, dataset):
        raise IntakeRefusedError("no such batch")
    try:
        undone = ledger.undo(
            engine, batch_id, username=who.username, is_admin=who.role == "admin", role=who.label
        )
    except ledger.UndoRefusedError as exc:
        raise IntakeRefusedError(str(exc)) from exc
    _refresh_map(dataset)
    return undone
