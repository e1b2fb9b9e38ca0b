"""强降雨 heavy rain: warnings and gauge readings in, warning aggregates and patrols out.

A warning's workflow id is `heavy-rain-<warning_id>`: issuing it again with another
level is a level change (signal-with-start), a lifted warning's id is not reused (409).
A reading over its threshold is the gauge's own warning for the area around it,
`gauge-<station>-<local date>-<n>`, raised by later readings, lifted like any other.
"""

import math
from datetime import timedelta, timezone
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Request, status
from pydantic import BaseModel
from shapely.geometry import shape
from sqlmodel import Session, select
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from activities.risk_points import touched_districts
from api.auth import REFUSED, CallerDep
from api.deps import EngineDep, TemporalDep
from api.routes.scenario_calls import act, status_in_scope
from api.workflow_calls import query_status
from api.schemas import Problem
from models import search_attributes as sa
from models import task_queues
from models.case import AcceptCommand, Role
from models.heavy_rain import (
    SCENARIO,
    GaugeReading,
    HeavyRainEvent,
    HeavyRainPolicy,
    LevelChange,
    Lift,
    PatrolReportCommand,
    PatrolStatus,
    RainWarning,
    WarningArea,
    WarningInput,
    WarningLift,
    WarningStatus,
)
from models.store import DistrictRow
from models.store.samples.places import offset
from workflows.heavy_rain import HeavyRainWarningWorkflow

router = APIRouter(prefix="/v1/scenarios/heavy-rain", tags=["heavy rain 强降雨"])
CHONGQING = timezone(timedelta(hours=8))
GAUGE_WARNINGS_PER_DAY = 20
PROBLEMS = {**REFUSED, 404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


class EventAccepted(BaseModel):
    outcome: Literal["issued_or_changed", "lifted", "below_threshold"]
    warning_id: str | None
    status_url: str | None


def workflow_id(warning_id: str) -> str:
    return f"{SCENARIO}-{warning_id}"


@router.post("/events", status_code=status.HTTP_202_ACCEPTED, response_model=EventAccepted, responses=PROBLEMS,
             summary="A rainstorm warning (issue, level change, lift) or a gauge reading")
async def post_event(
    request: Request, client: TemporalDep, engine: EngineDep, caller: CallerDep,
    event: Annotated[HeavyRainEvent, Body(discriminator="kind")],
) -> EventAccepted:
    if caller.principal.role is not Role.city:
        raise caller.deny("warnings and gauge readings come in through the city operations centre")
    policy: HeavyRainPolicy = request.app.state.heavy_rain_policy
    match event:
        case WarningLift():
            await _signal(client, event.warning_id, "lift", Lift(at=event.lifted_at))
            return _accepted(request, "lifted", event.warning_id)
        case GaugeReading():
            level = policy.level_of_reading(event)
            if level is None:
                return EventAccepted(outcome="below_threshold", warning_id=None, status_url=None)
            area = WarningArea(polygon=_circle(event.lon, event.lat, policy.gauge_radius_m))
            day = event.observed_at.astimezone(CHONGQING).strftime("%Y%m%d")
            for n in range(1, GAUGE_WARNINGS_PER_DAY + 1):
                warning = RainWarning(warning_id=f"gauge-{event.station_id}-{day}-{n}", area=area, level=level, issued_at=event.observed_at)
                if await _issue(client, engine, warning, policy, reopen_ok=True):
                    return _accepted(request, "issued_or_changed", warning.warning_id)
            raise HTTPException(status.HTTP_409_CONFLICT, f"station {event.station_id} has had {GAUGE_WARNINGS_PER_DAY} warnings today")
        case _:
            if not await _issue(client, engine, event, policy, reopen_ok=False):
                raise HTTPException(status.HTTP_409_CONFLICT, f"warning {event.warning_id} was lifted and closed; issue a new id")
            return _accepted(request, "issued_or_changed", event.warning_id)


@router.get("/warnings/{warning_id}", response_model=WarningStatus, responses=PROBLEMS, summary="A warning and the counts of its patrols")
async def get_warning(warning_id: str, client: TemporalDep, caller: CallerDep) -> WarningStatus:
    if caller.principal.role not in (Role.city, Role.district):
        raise caller.deny("warnings are followed by the city and district centres")
    return await query_status(client.get_workflow_handle(workflow_id(warning_id)), WarningStatus)


@router.get("/patrols/{case_id}", response_model=PatrolStatus, responses=PROBLEMS, summary="One risk point's patrol")
async def get_patrol(case_id: str, client: TemporalDep, caller: CallerDep) -> PatrolStatus:
    return await status_in_scope(client, case_id, caller, PatrolStatus)


@router.post("/patrols/{case_id}/actions/{action}", response_model=PatrolStatus, responses=PROBLEMS,
             summary="The inspector accepts the patrol or reports safe / hazard / evacuated")
async def act_on_patrol(
    case_id: str, action: Literal["accept", "report"], client: TemporalDep, caller: CallerDep,
    body: Annotated[dict[str, Any], Body(description="the command without `actor` (the bearer token says who acts)")],
) -> PatrolStatus:
    command_type = AcceptCommand if action == "accept" else PatrolReportCommand
    return await act(client, case_id, action, command_type, body, caller, PatrolStatus)


async def _issue(client: Client, engine, warning: RainWarning, policy: HeavyRainPolicy, *, reopen_ok: bool) -> bool:
    """Start the warning or change its level; False if that id is closed for good."""
    _check_area(engine, warning.area)
    try:
        await client.start_workflow(
            HeavyRainWarningWorkflow.run,
            WarningInput(warning=warning, policy=policy),
            id=workflow_id(warning.warning_id),
            task_queue=task_queues.DISTRICT,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            start_signal="change_level",
            start_signal_args=[LevelChange(level=warning.level, at=warning.issued_at)],
            search_attributes=TypedSearchAttributes([SearchAttributePair(sa.SCENARIO, SCENARIO)]),
            static_summary=f"暴雨{warning.level.zh}预警 {warning.warning_id}",
        )
    except WorkflowAlreadyStartedError:
        return False
    except RPCError as err:
        if err.status is not RPCStatusCode.ALREADY_EXISTS or not reopen_ok:
            raise
        return False
    return True


async def _signal(client: Client, warning_id: str, signal: str, argument: BaseModel) -> None:
    try:
        await client.get_workflow_handle(workflow_id(warning_id)).signal(signal, argument)
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no open warning {warning_id}") from err
        raise


def _check_area(engine, area: WarningArea) -> None:
    """Unknown districts and polygons outside Chongqing are the sender's mistake (422)."""
    if area.district_codes:
        with Session(engine) as session:
            known = set(session.exec(select(DistrictRow.code).where(DistrictRow.code.in_(area.district_codes))).all())
        if unknown := sorted(set(area.district_codes) - known):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"area.district_codes: unknown districts {unknown}")
    if area.polygon is not None and not touched_districts(shape(area.polygon)):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "area.polygon lies outside Chongqing")


def _circle(lon: float, lat: float, radius_m: float, sides: int = 32) -> dict[str, Any]:
    ring = [offset(lon, lat, radius_m * math.sin(2 * math.pi * i / sides), radius_m * math.cos(2 * math.pi * i / sides)) for i in range(sides)]
    return {"type": "Polygon", "coordinates": [[list(point) for point in [*ring, ring[0]]]]}


def _accepted(request: Request, outcome: str, warning_id: str) -> EventAccepted:
    return EventAccepted(
        outcome=outcome, warning_id=warning_id, status_url=str(request.url_for("get_warning", warning_id=warning_id))
    )
