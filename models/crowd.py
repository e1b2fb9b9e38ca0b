"""人员密集重点场所人流管控 crowd control at dense places: counts, thresholds, the case.

A venue's own system pushes people counts; against the place's capacity they cross the
warning (预警), entry-restriction (限流) and evacuation (疏散) thresholds of the policy.
The first count over the warning threshold opens the place's case; a higher level
escalates it; the case closes only after the crowd has stayed under the warning level
for the policy's calm period, so a count that flaps around a threshold keeps one case
open instead of opening and closing many.
"""

from datetime import timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, model_validator
from temporalio.common import SearchAttributeKey

from models import search_attributes as sa
from models.case import CaseCore, Command, Place
from models.policy import LadderAction, LadderStep, StageDeadline

SCENARIO = "crowd"
CROWD_CONTROL = "crowd_control"


class CrowdLevel(StrEnum):
    warn = "warn"  # 预警: staff on site guide the crowd
    restrict = "restrict"  # 限流: entry restricted, district centre informed
    evacuate = "evacuate"  # 疏散: evacuation, city centre informed

    @property
    def severity(self) -> int:
        return list(CrowdLevel).index(self) + 1


class CrowdCount(BaseModel):
    """People at a place at a moment, from the venue's own system (or counted from frames)."""

    place_id: str = Field(min_length=1, max_length=64)
    count: int = Field(ge=0, le=10_000_000)
    observed_at: AwareDatetime
    source: Literal["venue", "camera"] = "venue"


class CrowdPolicy(BaseModel):
    """Thresholds as fractions of capacity and the response each level demands."""

    thresholds: dict[CrowdLevel, float] = Field(
        default_factory=lambda: {CrowdLevel.warn: 0.8, CrowdLevel.restrict: 1.0, CrowdLevel.evacuate: 1.2}
    )
    calm_for: timedelta = Field(
        default=timedelta(minutes=30), gt=timedelta(0), description="under the warning level this long closes the case"
    )
    response: StageDeadline = Field(
        default=StageDeadline(
            within=timedelta(minutes=10),
            ladder=[
                LadderStep(action=LadderAction.remind, at=timedelta(minutes=5)),
                LadderStep(action=LadderAction.reassign, at=timedelta(minutes=10)),
                LadderStep(action=LadderAction.notify_street_lead, at=timedelta(minutes=15)),
            ],
        ),
        description="staff on site after dispatch",
    )
    measures: dict[CrowdLevel, StageDeadline] = Field(
        default_factory=lambda: {
            CrowdLevel.restrict: StageDeadline(
                within=timedelta(minutes=10),
                ladder=[LadderStep(action=LadderAction.supervise_district, at=timedelta(minutes=10))],
            ),
            CrowdLevel.evacuate: StageDeadline(
                within=timedelta(minutes=5),
                ladder=[LadderStep(action=LadderAction.supervise_city, at=timedelta(minutes=5))],
            ),
        },
        description="restricting entry or evacuating reported in place after the level is reached",
    )

    @model_validator(mode="after")
    def _rising(self) -> "CrowdPolicy":
        if [self.thresholds.get(level) for level in CrowdLevel] != sorted(self.thresholds.values()) or len(
            self.thresholds
        ) != len(CrowdLevel):
            raise ValueError("thresholds needs warn < restrict < evacuate")
        if set(self.measures) != {CrowdLevel.restrict, CrowdLevel.evacuate}:
            raise ValueError("measures needs restrict and evacuate")
        return self

    def level_of(self, ratio: float) -> CrowdLevel | None:
        """The highest level a density reaches, None under the warning threshold."""
        reached = [level for level in CrowdLevel if ratio >= self.thresholds[level]]
        return reached[-1] if reached else None


class DensePlaceRef(BaseModel):
    place_id: str
    name: str
    capacity: int = Field(gt=0)
    place: Place


class CrowdInput(BaseModel):
    """Start input: the place; its counts arrive as signals (the first one with the start)."""

    place: DensePlaceRef
    policy: CrowdPolicy = Field(default_factory=CrowdPolicy)


class MeasureCommand(Command):
    """The measure of a level is in place: entry restricted, or evacuation under way."""

    level: Literal[CrowdLevel.restrict, CrowdLevel.evacuate]


class CrowdStatus(CaseCore):
    """One crowding episode at one place; the `status` query of a crowd case."""

    place: DensePlaceRef
    level: CrowdLevel = CrowdLevel.warn
    measures_in_place: CrowdLevel | None = None
    count: int = 0
    ratio: float = 0.0
    peak_ratio: float = 0.0
    last_observed_at: AwareDatetime | None = None
    calm_since: AwareDatetime | None = None
    readings: int = 0

    def search_values(self) -> dict[SearchAttributeKey, Any]:
        return {sa.LEVEL: self.level.value}

    def ledger_facts(self) -> tuple[str | None, str | None, dict[str, str]]:
        return None, None, {"place": self.place.place_id, "level": self.level.value, "peak_ratio": f"{self.peak_ratio:.2f}"}
