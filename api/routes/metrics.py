"""Service-level figures per tier (城运中心 city → 区县 district → 镇街 street), from the
case milestones every workflow keeps in the store. Definitions: docs/ops.md."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import AwareDatetime
from sqlmodel import Session

from api import access
from api.auth import REFUSED, CallerDep
from api.deps import EngineDep
from api.schemas import Problem
from models.case import Tier
from models.sla import SlaReport
from models.store import StreetRow
from models.store.ledger import CITY_UNIT_CODE
from models.store.milestones import sla_report

router = APIRouter(prefix="/v1/metrics", tags=["ops"])


@router.get(
    "/sla",
    response_model=SlaReport,
    responses={422: {"model": Problem}, **REFUSED},
    summary="Received, closed, closure and on-time rates, time to assign/respond/dispose/close",
)
def get_sla(
    engine: EngineDep,
    caller: CallerDep,
    tier: Tier | None = None,
    district: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    street: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    scenario: Annotated[str | None, Query(pattern=r"^[a-z][a-z\-]{0,40}$")] = None,
) -> SlaReport:
    """`tier` defaults to the narrowest scope given. Cases count when received in
    [since, until); they are judged as they stood at `until` (or now)."""
    now = datetime.now(UTC)
    if since and until and since >= until:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "since must be before until")
    tier = tier or (Tier.street if street else Tier.district if district else Tier.city)
    with Session(engine) as session:
        code = _scope_code(session, tier, district, street)
        if reason := access.report_refusal(caller.principal, tier, code, _district_of(session, tier, code)):
            raise caller.deny(reason)
        return sla_report(
            session, tier=tier, code=code, since=since, until=until, as_of=min(until or now, now), scenario=scenario
        )


def _scope_code(session: Session, tier: Tier, district: str | None, street: str | None) -> str:
    if tier is Tier.city:
        if district or street:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "tier=city takes no district or street")
        return CITY_UNIT_CODE
    if tier is Tier.district:
        if not district or street:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "tier=district needs district (and no street)")
        return district
    if not street:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "tier=street needs street")
    row = session.get(StreetRow, street)
    if row is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown street {street}")
    if district and row.district_code != district:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"street {street} is not in district {district}")
    return street


def _district_of(session: Session, tier: Tier, code: str) -> str | None:
    """The district a report's unit lies in (none for the city's), to check the caller's scope."""
    if tier is Tier.street:
        return session.get(StreetRow, code).district_code
    return code if tier is Tier.district else None
