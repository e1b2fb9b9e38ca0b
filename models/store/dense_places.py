"""人员密集场所 dense places: venues whose crowd is watched against their capacity.

A place's capacity is what its thresholds (warn, restrict entry, evacuate) are fractions
of; its cameras are where people can be counted from frames when the venue's own system
does not push counts.
"""

from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint
from sqlmodel import Field, SQLModel


class DensePlaceKind(StrEnum):
    scenic_spot = "scenic_spot"  # 景区
    commercial_street = "commercial_street"  # 商圈 / 步行街
    transit_station = "transit_station"  # 轨道交通站 / 枢纽
    square = "square"  # 广场


class DensePlace(SQLModel, table=True):
    __tablename__ = "dense_places"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="ck_dense_places_capacity"),
        CheckConstraint(
            "kind IN ('scenic_spot', 'commercial_street', 'transit_station', 'square')", name="ck_dense_places_kind"
        ),
    )

    id: str = Field(primary_key=True)
    name: str
    kind: str
    capacity: int = Field(description="people the place holds safely (核定最大承载量)")
    district_code: str = Field(foreign_key="districts.code", index=True)
    street_code: str = Field(foreign_key="streets.code", index=True)
    lon: float
    lat: float
    camera_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    sample: bool = False
