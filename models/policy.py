"""Service levels as data: deadlines and escalation ladders are policy, not constants.

The article's numbers (3 min triage, 30 min response, 7 day disposal) are the defaults;
a district can run a stricter policy without a code change, and a case keeps the policy
it was opened under (it travels in the workflow input).
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator


class LadderAction(StrEnum):
    """One rung of an escalation ladder (督办 supervision climbs the tiers)."""

    remind = "remind"  # 提醒 the person who holds the case
    reassign = "reassign"  # 改派 to the next officer
    notify_street_lead = "notify_street_lead"  # 镇街负责人
    supervise_district = "supervise_district"  # 区县督办
    supervise_city = "supervise_city"  # 市级督办


class LadderStep(BaseModel):
    action: LadderAction
    at: timedelta = Field(description="time after the stage started when this rung fires")


class StageDeadline(BaseModel):
    """A stage's service level: breached after `within`, rungs fire at their own times."""

    within: timedelta = Field(gt=timedelta(0))
    ladder: list[LadderStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> "StageDeadline":
        times = [step.at for step in self.ladder]
        if times != sorted(times):
            raise ValueError("ladder rungs must be in time order")
        return self


class MuckTruckPolicy(BaseModel):
    """渣土车监管一件事 service levels (defaults from the Chongqing article)."""

    dedup_window: timedelta = Field(
        default=timedelta(hours=2),
        description="another sighting of the same truck and violation within this window "
        "joins the open case instead of opening a new one",
    )
    min_confidence: float = Field(default=0.6, ge=0, le=1)
    triage: StageDeadline = StageDeadline(
        within=timedelta(minutes=3),
        ladder=[LadderStep(action=LadderAction.supervise_city, at=timedelta(minutes=3))],
    )
    city_confirmation: StageDeadline = Field(
        default=StageDeadline(within=timedelta(minutes=15)),
        description="after this the case auto-routes to the source site's street",
    )
    response: StageDeadline = StageDeadline(
        within=timedelta(minutes=30),
        ladder=[
            LadderStep(action=LadderAction.remind, at=timedelta(minutes=20)),
            LadderStep(action=LadderAction.reassign, at=timedelta(minutes=30)),
            LadderStep(action=LadderAction.notify_street_lead, at=timedelta(minutes=45)),
        ],
    )
    disposal: StageDeadline = StageDeadline(
        within=timedelta(days=7),
        ladder=[
            LadderStep(action=LadderAction.remind, at=timedelta(days=6)),
            LadderStep(action=LadderAction.supervise_district, at=timedelta(days=7)),
            LadderStep(action=LadderAction.supervise_city, at=timedelta(days=8)),
        ],
    )
    verification: StageDeadline = StageDeadline(
        within=timedelta(days=2),
        ladder=[LadderStep(action=LadderAction.supervise_city, at=timedelta(days=2))],
    )
