"""Column types that behave the same on SQLite and on PostgreSQL + PostGIS."""

from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import Geometry as PostgisGeometry
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import to_shape
from sqlalchemy.types import LargeBinary, TypeDecorator

SRID = 4326


class Geometry(TypeDecorator):
    """A shapely geometry: PostGIS ``geometry(…, 4326)`` on PostgreSQL, WKB bytes elsewhere.

    Python code always sees shapely objects. On PostgreSQL the value travels as hex EWKB,
    which PostGIS parses on input and prints on output, so no SQL function wrapping is needed.
    """

    impl = LargeBinary
    cache_ok = True
    #: Read by geoalchemy2's DDL hooks: our migrations create the GiST indexes explicitly.
    spatial_index = False

    def __init__(self, geometry_type: str = "GEOMETRY") -> None:
        super().__init__()
        self.geometry_type = geometry_type

    def load_dialect_impl(self, dialect: Any) -> Any:
        # geoalchemy2's DDL hooks probe with dialect=None: answer "not spatial" so that they
        # leave this column alone; the migration creates its GiST index itself.
        if dialect is not None and dialect.name == "postgresql":
            return dialect.type_descriptor(
                PostgisGeometry(self.geometry_type, srid=SRID, spatial_index=False)
            )
        return LargeBinary() if dialect is None else dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return shapely.to_wkb(shapely.set_srid(value, SRID), hex=True, include_srid=True)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, WKBElement):
            return to_shape(value)
        if isinstance(value, memoryview):
            value = bytes(value)
        return shapely.from_wkb(value)
