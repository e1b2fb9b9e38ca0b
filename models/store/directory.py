"""The administrative directory: 区县 districts, handling units and 镇街 towns/streets.

Rows mirror `models.geo.directory` (the source of truth, built from public data) so that
SQL joins — officers to streets, cases to the unit that handles them — need no geometry.
A handling unit is who actually runs a street's cases: usually its district, sometimes a
functional zone (e.g. 两江新区) that administers streets of several districts.
"""

from sqlalchemy import JSON, CheckConstraint
from sqlmodel import Field, SQLModel

HANDLING_UNIT_KINDS = ("city", "district", "functional_zone")


class DistrictRow(SQLModel, table=True):
    __tablename__ = "districts"

    code: str = Field(primary_key=True, max_length=6)
    name: str


class HandlingUnitRow(SQLModel, table=True):
    __tablename__ = "handling_units"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('city', 'district', 'functional_zone')", name="ck_handling_units_kind"
        ),
    )

    code: str = Field(primary_key=True)
    name: str
    kind: str
    district_codes: list[str] = Field(default_factory=list, sa_type=JSON)


class StreetRow(SQLModel, table=True):
    __tablename__ = "streets"

    code: str = Field(primary_key=True, max_length=9)
    name: str
    district_code: str = Field(foreign_key="districts.code", index=True)
    handling_unit_code: str = Field(foreign_key="handling_units.code", index=True)
    seat_lon: float
    seat_lat: float
    seat_source: str
