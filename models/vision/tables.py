"""What the vision rules look up beyond the registry: 禁行区域 restricted zones, 区间测速
camera sections of known length, and 过车记录 plate sightings (the other end of a section).

Zones and sections are configuration a city enters; sightings are written by the vision
worker, keyed by (camera, instant, plate) so a retried activity records a passing once.
"""

from datetime import datetime, time

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.store.types import UTCDateTime


class RestrictedZone(SQLModel, table=True):
    """An area muck trucks may not enter (e.g. the old town), always or during some hours."""

    __tablename__ = "restricted_zones"

    id: str = Field(primary_key=True)
    name: str
    geofence: str = Field(sa_type=Text, description="GeoJSON Polygon or MultiPolygon, WGS84")
    restricted_start: time | None = Field(default=None, description="Chongqing local time; None: always restricted")
    restricted_end: time | None = None
    sample: bool = False


class CameraSection(SQLModel, table=True):
    """Two cameras on one road a known distance apart, for section speed (区间测速)."""

    __tablename__ = "camera_sections"
    __table_args__ = (
        UniqueConstraint("entry_camera_id", "exit_camera_id", name="uq_camera_sections_entry_exit"),
        CheckConstraint("distance_m > 0 AND limit_kmh > 0", name="ck_camera_sections_positive"),
    )

    id: str = Field(primary_key=True)
    entry_camera_id: str = Field(foreign_key="cameras.id", index=True)
    exit_camera_id: str = Field(foreign_key="cameras.id", index=True)
    distance_m: float
    limit_kmh: float
    sample: bool = False


class PlateSighting(SQLModel, table=True):
    __tablename__ = "plate_sightings"
    __table_args__ = (
        UniqueConstraint("camera_id", "observed_at", "plate", name="uq_plate_sightings_camera_time_plate"),
        Index("ix_plate_sightings_plate_time", "plate", "observed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    camera_id: str = Field(foreign_key="cameras.id")
    plate: str
    observed_at: datetime = Field(sa_type=UTCDateTime)
    frame_sha256: str = Field(max_length=64)
    confidence: float
