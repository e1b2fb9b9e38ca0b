"""Inputs and outputs of the case activities.

Each request carries the `step_key` its writes are keyed by, so a retried activity (or a
worker killed mid-write and restarted) finds its own earlier write instead of adding a
second one.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from models.case import CameraEvent, Evidence, Place, Role, Tier, Violation


class DetectionRequest(BaseModel):
    case_id: str
    event: CameraEvent
    min_confidence: float


class DetectionResult(BaseModel):
    evidence: Evidence
    camera: Place
    violation: Violation | None = Field(description="None: nothing actionable was seen")
    reason: str
    plate: str | None = Field(default=None, description="the plate as read on-platform (a raw frame has no alert)")


class SiteLookup(BaseModel):
    """Find the source site by the truck's valid transport permit (运输许可) at a time."""

    plate: str
    at: datetime


class SiteById(BaseModel):
    site_id: str
    found_by: str


class AssignmentRequest(BaseModel):
    step_key: str
    case_id: str
    street_code: str
    near_lon: float
    near_lat: float
    at: datetime
    exclude_officer_ids: list[str] = Field(default_factory=list)
    skill: str | None = Field(default=None, description="officers with this skill first, e.g. flood_patrol")
    workload_penalty_m: float = Field(
        default=2000.0, ge=0, description="metres of extra distance one open case is worth"
    )


class AssignmentRelease(BaseModel):
    case_id: str
    officer_id: str
    outcome: str


class StreetLookup(BaseModel):
    street_code: str


class Notification(BaseModel):
    """One message in the outbox (发件箱); `key` makes delivery at-most-once per step."""

    key: str
    case_id: str
    recipient_role: Role
    recipient_id: str
    kind: str
    text: str


class LedgerWrite(BaseModel):
    """The closed case as one tier records it (the outcome flows back to all three tiers)."""

    case_id: str
    workflow_id: str
    scenario: str
    tier: Tier
    unit_code: str
    violation: str | None
    plate: str | None
    outcome: str
    opened_at: datetime
    closed_at: datetime
    details: dict[str, str] = Field(default_factory=dict)

