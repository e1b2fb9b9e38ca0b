"""强降雨灾害应对 heavy-rain response: warnings, risk-point patrols and their service levels.

A rainstorm warning (暴雨预警, blue → red = levels IV → I as the China Meteorological
Administration issues them) or a rain-gauge / water-level reading over its threshold
covers an area; every 风险点 risk point inside it is patrolled (巡查) by an inspector of
its street within a deadline that tightens with the level.
"""

from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

import shapely
from pydantic import AwareDatetime, BaseModel, Field, field_validator, model_validator
from shapely.geometry import shape
from temporalio.common import SearchAttributeKey

from models import search_attributes as sa
from models.case import CaseCore, Command, Place
from models.policy import LadderAction, LadderStep, StageDeadline

SCENARIO = "heavy-rain"
FLOOD_PATROL = "flood_patrol"
WARNING_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class WarningLevel(StrEnum):
    blue = "blue"  # 蓝色预警, IV 级
    yellow = "yellow"  # 黄色预警, III 级
    orange = "orange"  # 橙色预警, II 级
    red = "red"  # 红色预警, I 级

    @property
    def severity(self) -> int:
        return list(WarningLevel).index(self) + 1

    @property
    def zh(self) -> str:
        return {"blue": "蓝色(IV级)", "yellow": "黄色(III级)", "orange": "橙色(II级)", "red": "红色(I级)"}[self.value]


class WarningArea(BaseModel):
    """Where a warning applies: whole districts, a drawn polygon (WGS84 GeoJSON), or both."""

    district_codes: list[Annotated[str, Field(pattern=r"^\d{6}$")]] = Field(default_factory=list, max_length=38)
    polygon: dict[str, Any] | None = Field(default=None, description="GeoJSON Polygon or MultiPolygon, WGS84")

    @field_validator("polygon")
    @classmethod
    def _polygon(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        if value.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("polygon must be a GeoJSON Polygon or MultiPolygon")
        try:
            geometry = shape(value)
        except (KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as err:
            raise ValueError(f"polygon is not valid GeoJSON: {err}") from err
        if geometry.is_empty or not geometry.is_valid:
            raise ValueError("polygon is empty or self-intersecting")
        return value

    @model_validator(mode="after")
    def _something(self) -> "WarningArea":
        if not self.district_codes and self.polygon is None:
            raise ValueError("a warning area needs district_codes, a polygon, or both")
        return self


class RainWarning(BaseModel):
    """A warning issued or changed: the same `warning_id` again with another level is a level change."""

    kind: Literal["warning"] = "warning"
    warning_id: str = Field(pattern=WARNING_ID, description="the issuer's id of this warning")
    area: WarningArea
    level: WarningLevel
    issued_at: AwareDatetime


class WarningLift(BaseModel):
    kind: Literal["lift"] = "lift"
    warning_id: str = Field(pattern=WARNING_ID)
    lifted_at: AwareDatetime


class GaugeReading(BaseModel):
    """A rain gauge (mm/h) or water-level station (m) reading, with its station's threshold."""

    kind: Literal["reading"] = "reading"
    station_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,39}$")
    measure: Literal["rainfall_mm_per_h", "water_level_m"]
    value: float = Field(ge=0)
    threshold: float = Field(gt=0)
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    observed_at: AwareDatetime


HeavyRainEvent = Annotated[RainWarning | WarningLift | GaugeReading, Field(discriminator="kind")]


# --- policy ---------------------------------------------------------------------------


class PatrolDeadlines(BaseModel):
    """One level's service levels: accept the patrol, report it (from dispatch), settle a hazard."""

    response: StageDeadline
    patrol: StageDeadline
    hazard: StageDeadline


def _deadlines(response: timedelta, patrol: timedelta, hazard: timedelta) -> PatrolDeadlines:
    """The ladders share one shape; only the clock differs between levels."""
    return PatrolDeadlines(
        response=StageDeadline(
            within=response,
            ladder=[
                LadderStep(action=LadderAction.remind, at=response * 2 / 3),
                LadderStep(action=LadderAction.reassign, at=response),
                LadderStep(action=LadderAction.notify_street_lead, at=response * 3 / 2),
            ],
        ),
        patrol=StageDeadline(
            within=patrol,
            ladder=[
                LadderStep(action=LadderAction.remind, at=patrol * 3 / 4),
                LadderStep(action=LadderAction.notify_street_lead, at=patrol),
                LadderStep(action=LadderAction.supervise_district, at=patrol * 5 / 4),
                LadderStep(action=LadderAction.supervise_city, at=patrol * 3 / 2),
            ],
        ),
        hazard=StageDeadline(
            within=hazard,
            ladder=[
                LadderStep(action=LadderAction.supervise_district, at=hazard),
                LadderStep(action=LadderAction.supervise_city, at=hazard * 3 / 2),
            ],
        ),
    )


def _minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


DEFAULT_LEVELS = {
    WarningLevel.blue: _deadlines(_minutes(30), _minutes(8 * 60), _minutes(4 * 60)),
    WarningLevel.yellow: _deadlines(_minutes(30), _minutes(4 * 60), _minutes(2 * 60)),
    WarningLevel.orange: _deadlines(_minutes(15), _minutes(2 * 60), _minutes(60)),
    WarningLevel.red: _deadlines(_minutes(10), _minutes(60), _minutes(30)),
}


class HeavyRainPolicy(BaseModel):
    """强降雨 service levels and fan-out limits; a warning keeps the policy it was issued under."""

    levels: dict[WarningLevel, PatrolDeadlines] = Field(default_factory=lambda: dict(DEFAULT_LEVELS))
    batch_size: int = Field(default=100, ge=1, le=1_000, description="risk points selected and dispatched at a time")
    max_open_patrols: int = Field(default=5_000, ge=1, description="a warning dispatches no more while this many are open")
    history_limit: int = Field(
        default=5_000, ge=200, description="events in one run of a warning before it continues as new"
    )
    gauge_radius_m: float = Field(default=3_000, gt=0, description="a gauge's own warning covers this radius")
    gauge_levels: list[tuple[float, WarningLevel]] = Field(
        default=[(1.0, WarningLevel.blue), (1.5, WarningLevel.yellow), (2.0, WarningLevel.orange), (3.0, WarningLevel.red)],
        description="(reading ÷ threshold at least, level), in rising order",
    )

    @model_validator(mode="after")
    def _every_level(self) -> "HeavyRainPolicy":
        if missing := set(WarningLevel) - set(self.levels):
            raise ValueError(f"levels lacks {sorted(missing)}")
        return self

    def level_of_reading(self, reading: GaugeReading) -> WarningLevel | None:
        """The level a reading warrants, None while under its threshold."""
        ratio = reading.value / reading.threshold
        reached = [level for at_least, level in self.gauge_levels if ratio >= at_least]
        return reached[-1] if reached else None


# --- the warning (parent) and the patrols (children) -----------------------------------


class RiskPointRef(BaseModel):
    """A risk point as a patrol carries it: enough to route, show and ledger it."""

    point_id: str
    name: str
    kind: str
    note: str = ""
    place: Place


class PointState(StrEnum):
    """A patrol as the warning counts it."""

    awaiting_response = "awaiting_response"
    patrolling = "patrolling"
    hazard = "hazard"
    safe = "safe"  # 巡查无异常 / 险情排除
    evacuated = "evacuated"  # 已转移群众
    stood_down = "stood_down"  # 预警解除时尚未接单


DONE_STATES = frozenset({PointState.safe, PointState.evacuated, PointState.stood_down})


class PointProgress(BaseModel):
    """A patrol tells its warning where it stands (signal), so the warning can count."""

    point_id: str
    district_code: str
    state: PointState
    breached: bool


class LevelChange(BaseModel):
    level: WarningLevel
    at: AwareDatetime


class WarningNews(BaseModel):
    """What a warning tells its open patrols: its level now, and whether it is lifted."""

    level: WarningLevel
    lifted: bool


class Lift(BaseModel):
    at: AwareDatetime


class PatrolFinding(StrEnum):
    safe = "safe"
    hazard = "hazard"  # 发现险情
    evacuated = "evacuated"


class PatrolReport(BaseModel):
    finding: PatrolFinding
    evacuated_people: int = Field(default=0, ge=0, le=1_000_000)
    evidence_uris: list[str] = Field(default_factory=list, max_length=20)


class PatrolReportCommand(Command):
    report: PatrolReport


class PatrolInput(BaseModel):
    warning_id: str
    parent_id: str | None = Field(description="the warning workflow to keep posted; None when run alone")
    point: RiskPointRef
    level: WarningLevel
    levels: dict[WarningLevel, PatrolDeadlines]


class PatrolStatus(CaseCore):
    """One risk point's patrol under one warning; the `status` query of a patrol."""

    warning_id: str
    level: WarningLevel
    point: RiskPointRef
    patrol_due: AwareDatetime | None = None
    reports: list[PatrolReport] = Field(default_factory=list)
    stood_down: bool = False

    @property
    def finding(self) -> PatrolFinding | None:
        return self.reports[-1].finding if self.reports else None

    def search_values(self) -> dict[SearchAttributeKey, Any]:
        return {sa.LEVEL: self.level.value, sa.DISPOSAL_DUE: self.patrol_due}

    def ledger_facts(self) -> tuple[str | None, str | None, dict[str, str]]:
        return None, None, {"risk_point": self.point.point_id, "warning": self.warning_id, "level": self.level.value}


class WarningStatus(CaseCore):
    """A warning and the aggregate of its patrols; the `status` query of a warning."""

    warning_id: str
    level: WarningLevel
    area: WarningArea
    issued_at: AwareDatetime
    lifted_at: AwareDatetime | None = None
    selected: int | None = Field(default=None, description="risk points in the area")
    dispatched: int = 0
    counts: dict[PointState, int] = Field(default_factory=dict)
    by_district: dict[str, dict[PointState, int]] = Field(default_factory=dict)
    breached_points: int = 0
    runs: int = Field(default=1, description="runs so far: a warning continues as new to keep its history short")
    run_events: list[int] = Field(default_factory=list, description="history events of each run before it continued")

    def search_values(self) -> dict[SearchAttributeKey, Any]:
        return {sa.LEVEL: self.level.value}

    def ledger_facts(self) -> tuple[str | None, str | None, dict[str, str]]:
        counts = ",".join(f"{state.value}:{n}" for state, n in sorted(self.counts.items()) if n)
        return None, None, {"warning": self.warning_id, "level": self.level.value, "points": counts}


class OpenPoint(BaseModel):
    district_code: str
    state: PointState
    breached: bool = False


class WarningInput(BaseModel):
    """Start input of a warning; `carried` is what a continued-as-new run takes over."""

    warning: RainWarning
    policy: HeavyRainPolicy = Field(default_factory=HeavyRainPolicy)
    carried: "WarningCarry | None" = None


class WarningCarry(BaseModel):
    status: WarningStatus
    open: dict[str, OpenPoint]
    after: str | None
    exhausted: bool
    untold: list[str] = Field(default_factory=list, description="open patrols not yet told the latest news")


class PointPageRequest(BaseModel):
    area: WarningArea
    after: str | None = None
    limit: int = Field(ge=1, le=1_000)
    count_total: bool = False


class PointPage(BaseModel):
    points: list[RiskPointRef]
    after: str | None = Field(description="cursor for the next page")
    exhausted: bool
    total: int | None = None


WarningInput.model_rebuild()
