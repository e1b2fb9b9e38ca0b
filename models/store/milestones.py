"""Case milestones: one row per case, kept current by the case workflow, read by the SLA report.

The ledger holds closed cases only; service levels also need the open ones (received,
assigned, overdue), so the workflow mirrors its milestones here at every stage change.
Writes carry the workflow's `version`; an older write arriving late (a retried local
activity) never overwrites a newer one.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, Session, SQLModel, select

from models.case import Tier
from models.sla import CaseMilestones, SlaReport, SlaUnit, figures
from models.store.directory import DistrictRow, StreetRow
from models.store.types import UTCDateTime
from models.store.upsert import upsert

CITY_NAME = "重庆市"


class CaseMilestoneRow(SQLModel, table=True):
    __tablename__ = "case_milestones"
    __table_args__ = (
        Index("ix_case_milestones_district_received", "district_code", "received_at"),
        Index("ix_case_milestones_street_received", "street_code", "received_at"),
    )

    case_id: str = Field(primary_key=True)
    scenario: str
    version: int
    district_code: str | None = None
    street_code: str | None = None
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)
    assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disposed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution: str | None = None
    response_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disposal_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    breaches: list[str] = Field(default_factory=list, sa_type=JSON)


def save_milestones(session: Session, milestones: Sequence[CaseMilestones]) -> None:
    upsert(
        session,
        CaseMilestoneRow,
        [m.model_dump(mode="python") for m in milestones],
        keys=("case_id",),
        newer="version",
    )


def milestones_in(
    session: Session,
    *,
    since: datetime | None,
    until: datetime | None,
    district_code: str | None = None,
    street_code: str | None = None,
    scenario: str | None = None,
) -> list[CaseMilestones]:
    """Cases received in [since, until) within a district or street (all when neither)."""
    query = select(CaseMilestoneRow)
    if since is not None:
        query = query.where(CaseMilestoneRow.received_at >= since)
    if until is not None:
        query = query.where(CaseMilestoneRow.received_at < until)
    for column, value in [
        (CaseMilestoneRow.district_code, district_code),
        (CaseMilestoneRow.street_code, street_code),
        (CaseMilestoneRow.scenario, scenario),
    ]:
        if value is not None:
            query = query.where(column == value)
    return [CaseMilestones.model_validate(row, from_attributes=True) for row in session.exec(query)]


def sla_report(
    session: Session,
    *,
    tier: Tier,
    code: str,
    since: datetime | None,
    until: datetime | None,
    as_of: datetime,
    scenario: str | None = None,
) -> SlaReport:
    """The scope's figures plus one row per unit one tier down (city → districts → streets).

    Cases not placed yet (still in detection) count in the city's figures only.
    """
    cases = milestones_in(
        session,
        since=since,
        until=until,
        district_code=code if tier is Tier.district else None,
        street_code=code if tier is Tier.street else None,
        scenario=scenario,
    )
    groups: dict[str, list[CaseMilestones]] = defaultdict(list)
    if tier is not Tier.street:
        below = Tier.district if tier is Tier.city else Tier.street
        for case in cases:
            unit = case.district_code if below is Tier.district else case.street_code
            if unit is not None:
                groups[unit].append(case)
    breakdown = [
        SlaUnit(tier=below, code=unit, name=_name(session, below, unit), figures=figures(groups[unit], as_of))
        for unit in sorted(groups)
    ]
    scope = SlaUnit(tier=tier, code=code, name=_name(session, tier, code), figures=figures(cases, as_of))
    return SlaReport(scope=scope, since=since, until=until, as_of=as_of, scenario=scenario, breakdown=breakdown)


def _name(session: Session, tier: Tier, code: str) -> str:
    row = {Tier.city: None, Tier.district: DistrictRow, Tier.street: StreetRow}[tier]
    found = session.get(row, code) if row else None
    return found.name if found else (CITY_NAME if tier is Tier.city else code)
