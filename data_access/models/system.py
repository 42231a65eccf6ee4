"""Users, API tokens, the audit log, ingestion batches and the register of data sources."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base

ROLES = ("leadership", "planner", "department", "school", "admin")


class User(Base):
    """A person who signs in; ``role`` is one of ROLES, department users have units."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: School users: the institution they report for.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class UserUnit(Base):
    """A unit (division code of plan_2023/units.csv) a department user belongs to."""

    __tablename__ = "user_unit"
    __table_args__ = (UniqueConstraint("user_id", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("plan_unit.code"))


class ApiToken(Base):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Refused from this moment on (UTC); None: until revoked.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: May write quarterly reports (POST on /api/v1); otherwise read-only.
    write_reports: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiTokenScope(Base):
    """One data domain (``kind`` "domain", a slug) or 2025 ward (``kind`` "ward", a code) a
    token is limited to; a token with no row of a kind is limited only by its user."""

    __tablename__ = "api_token_scope"
    __table_args__ = (UniqueConstraint("token_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(40))


class AuditLog(Base):
    """Who read, exported or changed what, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))


class IngestionBatch(Base):
    """One load of a dataset: where it came from, how it went, its error report."""

    __tablename__ = "ingestion_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(40), index=True)
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("data_domain.id"))
    source_system: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str | None] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    rows_in: Mapped[int] = mapped_column(Integer, default=0)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str | None] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    username: Mapped[str | None] = mapped_column(String(64))


class DataSource(Base):
    """A data source shown on /about/data: what it is, its licence, real or generated."""

    __tablename__ = "data_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(String(120))
    generated: Mapped[bool] = mapped_column(Boolean)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
