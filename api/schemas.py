"""Response bodies of the HTTP API (typed, so the OpenAPI document is exact)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from models.case import Stage


class Problem(BaseModel):
    """Every 4xx carries the reason a person can act on."""

    detail: str


class EventAccepted(BaseModel):
    case_id: str
    joined_existing: bool = Field(description="true: the sighting joined an open case as evidence")
    evidence_count: int
    status_url: str


class CaseSummary(BaseModel):
    """A case as Temporal visibility sees it (search attributes), without a query."""

    case_id: str
    scenario: str | None
    stage: Stage | None
    tier: str | None
    district: str | None
    street: str | None
    officer: str | None
    plate: str | None
    breached: bool
    response_due: datetime | None
    disposal_due: datetime | None
    started_at: datetime
    closed_at: datetime | None
    status: str


class CaseList(BaseModel):
    cases: list[CaseSummary]
    query: str = Field(description="the Temporal visibility query used; paste it into the Web UI")


class Action(StrEnum):
    """Human steps; each is a Temporal update on the case workflow."""

    accept = "accept"
    report_disposal = "report_disposal"
    verify = "verify"
    return_case = "return_case"
    transfer = "transfer"
    confirm_cross_district = "confirm_cross_district"
    triage = "triage"


class Health(BaseModel):
    status: str
    temporal: str
    database: str
