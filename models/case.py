"""Types that cross the workflow boundary for a case (案件): events, evidence, commands, status.

Everything a workflow receives or returns is one of these pydantic models, so the API,
the workers and the Temporal history all agree on one schema (serialised by
`temporalio.contrib.pydantic`).
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from temporalio.common import SearchAttributeKey

from models import search_attributes as sa
from models.geo.place import Place
from models.plates import normalise_plate
from models.policy import MuckTruckPolicy


class Tier(StrEnum):
    """The three tiers of 城运中心 (operations centres) plus the people who act in them."""

    city = "city"  # 市城运中心
    district = "district"  # 区县城运中心
    street = "street"  # 镇街城运中心


class Role(StrEnum):
    city = "city"
    district = "district"
    street = "street"
    officer = "officer"  # 执法队员 on the 渝快政 mobile platform
    camera = "camera"
    system = "system"


class Violation(StrEnum):
    """What a camera saw a 渣土车 (muck truck) do."""

    overloading = "overloading"  # 冒装 heaped / overloaded cargo
    spillage = "spillage"  # 撒漏 spilling on the road
    uncovered = "uncovered"  # 未密闭 cargo not covered
    speeding = "speeding"  # 超速
    no_permit = "no_permit"  # 无证运输: no transport permit valid at the sighting
    outside_hours = "outside_hours"  # 违时运输: permit valid, but not at this hour
    restricted_zone = "restricted_zone"  # 闯禁区: seen inside a restricted zone


VIOLATION_ZH = {
    Violation.overloading: "冒装",
    Violation.spillage: "撒漏",
    Violation.uncovered: "未密闭",
    Violation.speeding: "超速",
    Violation.no_permit: "无证运输",
    Violation.outside_hours: "违时运输",
    Violation.restricted_zone: "闯禁区",
}


class Stage(StrEnum):
    """Where a case stands; also the `OneThingStage` search attribute ops filter on."""

    detecting = "detecting"  # 感知
    triage = "triage"  # 研判: find the source site
    awaiting_city = "awaiting_city"  # 跨区: city centre confirms and re-dispatches
    assigning = "assigning"  # 派单
    awaiting_response = "awaiting_response"  # 待响应 (30 min)
    disposing = "disposing"  # 处置中 (7 days)
    verifying = "verifying"  # 核查 by the district
    closed = "closed"  # 办结
    dismissed = "dismissed"  # 不立案
    dispatching = "dispatching"  # 分派: a warning fans out to its risk points
    monitoring = "monitoring"  # 跟踪: every point dispatched, waiting for them
    patrolling = "patrolling"  # 巡查中
    hazard = "hazard"  # 险情处置: hazard found, evacuation or clearance awaited
    controlling = "controlling"  # 管控中: staff on site, waiting for the crowd to ease



class EdgeAlert(BaseModel):
    """The camera's own edge-AI verdict (this issue trusts it; on-platform vision comes later)."""

    violation: Violation | None = Field(description="None when the camera saw no violation")
    plate: str | None = Field(default=None, description="渝A·12345 form; other spellings are normalised")
    confidence: float = Field(ge=0.0, le=1.0)

    @field_validator("plate")
    @classmethod
    def _plate(cls, value: str | None) -> str | None:
        return normalise_plate(value) if value else None


class CameraEvent(BaseModel):
    """One sighting from a road camera. The snapshot is a reference, never bytes."""

    model_config = ConfigDict(extra="forbid")

    camera_id: str = Field(min_length=1, max_length=64)
    observed_at: AwareDatetime
    snapshot_uri: str = Field(
        min_length=1,
        max_length=2048,
        description="file path, file:// or http(s):// URL of the frame the alert refers to",
    )
    alert: EdgeAlert | None = None

    @property
    def event_key(self) -> str:
        """Identity of a sighting: the same camera, instant and frame is the same event."""
        return f"{self.camera_id}|{self.observed_at.isoformat()}|{self.snapshot_uri}"


class Actor(BaseModel):
    """Who is acting, as established by the API (the workflow re-checks jurisdiction)."""

    role: Role
    id: str = Field(min_length=1, max_length=64)
    unit_code: str | None = Field(
        default=None, description="street code, district code or CITY the actor belongs to"
    )


class Evidence(BaseModel):
    """Content-addressed evidence with its chain of custody (监管链)."""

    sha256: str
    stored_uri: str
    source_uri: str
    camera_id: str
    observed_at: datetime
    size_bytes: int
    violation: Violation | None
    plate: str | None
    confidence: float | None


class SourceSite(BaseModel):
    """The construction site (源头工地) a truck's load came from."""

    site_id: str
    site_name: str
    permit_id: str | None
    place: Place
    found_by: str = Field(description="permit | manual triage")


class OfficerChoice(BaseModel):
    officer_id: str
    officer_name: str
    street_code: str
    distance_m: float
    open_cases: int
    on_duty: bool


class TimelineEntry(BaseModel):
    at: datetime
    stage: Stage
    action: str
    actor: str
    note: str = ""


class DisposalReport(BaseModel):
    outcome: str = Field(min_length=1, max_length=500, description="what was done on site")
    penalty_ref: str | None = Field(default=None, max_length=64, description="处罚决定书 number")
    evidence_uris: list[str] = Field(default_factory=list, max_length=20)


# --- human steps: arguments of the workflow updates -------------------------------------


class Command(BaseModel):
    actor: Actor
    note: str = Field(default="", max_length=500)


class AcceptCommand(Command):
    pass


class DisposalCommand(Command):
    report: DisposalReport


class VerifyCommand(Command):
    pass


class ReturnCommand(Command):
    reason: str = Field(min_length=1, max_length=500)


class TransferCommand(Command):
    street_code: str = Field(pattern=r"^\d{9}$", description="the street that should handle it")


class ConfirmCrossDistrictCommand(Command):
    street_code: str | None = Field(
        default=None,
        pattern=r"^\d{9}$",
        description="re-dispatch to this street; default is the source site's street",
    )


class TriageCommand(Command):
    site_id: str | None = Field(
        min_length=1,
        max_length=64,
        description="the source site; null when no source can be identified (handled where seen)",
    )


class SightingReceipt(BaseModel):
    case_id: str
    joined_existing: bool
    evidence_count: int


class CaseCore(BaseModel):
    """What every case shows, whatever its scenario; the stage blocks read and write only this.

    A scenario's status extends it with its own facts and says, through `where`,
    `search_values` and `ledger_facts`, how those reach dispatch, the Temporal UI and
    the ledgers.
    """

    case_id: str
    scenario: str
    stage: Stage
    opened_at: datetime
    responsible: Place | None = None
    officer: OfficerChoice | None = None
    past_officers: list[str] = Field(default_factory=list)
    response_due: datetime | None = None
    breaches: list[str] = Field(default_factory=list)
    outcome: str | None = None
    timeline: list[TimelineEntry] = Field(default_factory=list)

    @property
    def breached(self) -> bool:
        return bool(self.breaches)

    @property
    def where(self) -> Place | None:
        """The place escalations and search attributes are routed by."""
        return self.responsible

    def search_values(self) -> dict[SearchAttributeKey, Any]:
        """The scenario's own search attributes (None unsets), beyond stage, place and officer."""
        return {}

    def ledger_facts(self) -> tuple[str | None, str | None, dict[str, str]]:
        """(violation, plate, details) for the ledger rows beyond stage, breaches and officer."""
        return None, None, {}


class CaseStatus(CaseCore):
    """Everything the tiers need to see about a muck-truck case; returned by the `status` query."""

    violation: Violation | None = None
    plate: str | None = None
    camera: Place | None = None
    source_site: SourceSite | None = None
    cross_district: bool = False
    triage_due: datetime | None = None
    disposal_due: datetime | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    disposal: DisposalReport | None = None
    returns: int = 0

    @property
    def where(self) -> Place | None:
        return self.responsible or self.camera

    def search_values(self) -> dict[SearchAttributeKey, Any]:
        return {sa.PLATE: self.plate, sa.DISPOSAL_DUE: self.disposal_due}

    def ledger_facts(self) -> tuple[str | None, str | None, dict[str, str]]:
        details = {"penalty_ref": self.disposal.penalty_ref} if self.disposal and self.disposal.penalty_ref else {}
        return (self.violation.value if self.violation else None), self.plate, details


class MuckTruckCaseInput(BaseModel):
    """Start input of a muck-truck case: the sighting that opened it and its policy."""

    first: CameraEvent
    policy: MuckTruckPolicy = Field(default_factory=MuckTruckPolicy)
