"""The registries a muck-truck case is triaged against: 工地 construction sites, 运输许可
transport permits, 渣土车 muck trucks, cameras, officers and their duty roster.

Geometry is stored as GeoJSON text (WGS84, lon/lat order) so the same tables work on
SQLite and on PostgreSQL without PostGIS; shapely parses it where geometry is needed.
Every table carries `sample` so generated demo rows can be told apart from, and replaced
without touching, real data.
"""

from datetime import datetime, time, timedelta, timezone

from sqlalchemy import JSON, CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from models.store.types import UTCDateTime

CHONGQING_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China has no daylight saving, so a fixed offset is exact and needs no tz database."""


class ConstructionSite(SQLModel, table=True):
    __tablename__ = "construction_sites"

    id: str = Field(primary_key=True)
    name: str
    district_code: str = Field(foreign_key="districts.code", index=True)
    street_code: str = Field(foreign_key="streets.code", index=True)
    lon: float
    lat: float
    geofence: str = Field(sa_type=Text, description="GeoJSON Polygon, WGS84")
    sample: bool = False


class TransportPermit(SQLModel, table=True):
    """A 运输许可 for one truck from one site.

    `plate` deliberately has no foreign key to `muck_trucks`: permits (housing and
    construction) and truck registrations (transport) come from different departments, and
    a permit for a truck registered elsewhere is still a permit.
    """

    __tablename__ = "transport_permits"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'revoked')", name="ck_transport_permits_status"),
    )

    id: str = Field(primary_key=True)
    plate: str = Field(index=True)
    site_id: str = Field(foreign_key="construction_sites.id", index=True)
    company: str
    valid_from: datetime = Field(sa_type=UTCDateTime)
    valid_until: datetime = Field(sa_type=UTCDateTime)
    permitted_start: time = Field(description="Chongqing local time; may wrap midnight")
    permitted_end: time
    route: str = Field(sa_type=Text, description="GeoJSON LineString, WGS84")
    status: str = "active"
    sample: bool = False

    def allows(self, at: datetime) -> bool:
        """Whether driving at `at` is covered: active, within validity, inside the hours.

        Muck trucks are usually allowed only at night (e.g. 22:00–06:00), so the hours
        window may wrap midnight; it is read in Chongqing local time.
        """
        if self.status != "active" or not (self.valid_from <= at < self.valid_until):
            return False
        local = at.astimezone(CHONGQING_TZ).time()
        start, end = self.permitted_start, self.permitted_end
        if start <= end:
            return start <= local < end
        return local >= start or local < end


class MuckTruck(SQLModel, table=True):
    __tablename__ = "muck_trucks"

    plate: str = Field(primary_key=True, description='e.g. "渝A·12345"')
    company: str
    home_district_code: str = Field(foreign_key="districts.code", index=True)
    sample: bool = False


class Camera(SQLModel, table=True):
    __tablename__ = "cameras"

    id: str = Field(primary_key=True)
    name: str
    lon: float
    lat: float
    district_code: str = Field(foreign_key="districts.code", index=True)
    street_code: str = Field(foreign_key="streets.code", index=True)
    heading_deg: float = Field(description="Direction of travel watched, clockwise from north")
    road_name: str
    sample: bool = False


class Officer(SQLModel, table=True):
    __tablename__ = "officers"

    id: str = Field(primary_key=True)
    name: str
    street_code: str = Field(foreign_key="streets.code", index=True)
    handling_unit_code: str = Field(foreign_key="handling_units.code", index=True)
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    lon: float
    lat: float
    is_street_lead: bool = False
    sample: bool = False


class DutyShift(SQLModel, table=True):
    """The on-duty roster: dispatch picks only officers whose shift covers the moment."""

    __tablename__ = "duty_shifts"
    __table_args__ = (
        Index("ix_duty_shifts_officer_time", "officer_id", "starts_at", "ends_at"),
        Index("ix_duty_shifts_time", "starts_at", "ends_at"),
        CheckConstraint("ends_at > starts_at", name="ck_duty_shifts_order"),
    )

    id: str = Field(primary_key=True)
    officer_id: str = Field(foreign_key="officers.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    sample: bool = False
