"""Administrative units with validity periods, their crosswalk and population."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data_access.models.base import Base
from data_access.types import Geometry

#: The day the 2025 reorganisation took effect (168 wards, no districts).
MERGER_DATE = date(2025, 7, 1)

# Unit kinds. Ids are the kind's prefix followed by the national code, because the 2025
# wards reuse codes of old wards (e.g. 25747 is old Phú Cường and new Thủ Dầu Một).
WARD_2025 = "ward"
PROVINCE_2025 = "province"
OLD_WARD = "old_ward"
OLD_DISTRICT = "old_district"
OLD_PROVINCE = "old_province"
UNIT_PREFIX = {
    WARD_2025: "W",
    PROVINCE_2025: "P",
    OLD_WARD: "OW",
    OLD_DISTRICT: "OD",
    OLD_PROVINCE: "OP",
}


def unit_id(kind: str, code: str | int) -> str:
    """The warehouse id of the unit of ``kind`` with national ``code``."""
    return f"{UNIT_PREFIX[kind]}{code}"


class AdminUnit(Base):
    """A ward, district or province, valid between ``valid_from`` and ``valid_to``."""

    __tablename__ = "admin_unit"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    unit_type: Mapped[str | None] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    area_km2: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    population_note: Mapped[str | None] = mapped_column(String(200))
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    geom: Mapped[object | None] = mapped_column(Geometry("MULTIPOLYGON"))
    source: Mapped[str] = mapped_column(String(80))


class UnitCrosswalk(Base):
    """An old unit mapped to a 2025 ward; ``weight`` is the old unit's share sent there."""

    __tablename__ = "unit_crosswalk"
    __table_args__ = (UniqueConstraint("old_unit_id", "new_unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    new_unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    partly_merged: Mapped[bool] = mapped_column(Boolean)
    weight: Mapped[float] = mapped_column(Float)
    weight_is_estimate: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(80))


class Population(Base):
    """Population of a unit in a year and age group (``total`` or a band like ``05-09``)."""

    __tablename__ = "population"
    __table_args__ = (UniqueConstraint("unit_id", "year", "age_group"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    age_group: Mapped[str] = mapped_column(String(8))
    population: Mapped[int] = mapped_column(Integer)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(80))
