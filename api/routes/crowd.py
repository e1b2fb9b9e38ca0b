"""人流管控 crowd control: a venue's counts in, the place's case out.

Counts at or over the warning threshold open the place's case or join it
(signal-with-start on `crowd-<place_id>`); counts under it only reach an open case,
where they start its calm period. A place has at most one open case.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Request, status
from pydantic import BaseModel
from sqlmodel import Session
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from activities.places import place_of
from api.auth import REFUSED, CallerDep
from api.deps import EngineDep, TemporalDep
from api.routes.scenario_calls import act, status_in_scope
from api.schemas import Problem
from models import search_attributes as sa
from models import task_queues
from models.case import AcceptCommand, Role
from models.crowd import SCENARIO, CrowdCount, CrowdInput, CrowdPolicy, CrowdStatus, DensePlaceRef, MeasureCommand
from models.store import DensePlace
from workflows.crowd_control import CrowdControlWorkflow

router = APIRouter(prefix="/v1/scenarios/crowd", tags=["crowd control 人流管控"])
PROBLEMS = {**REFUSED, 404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


class CountAccepted(BaseModel):
    ratio: float
    case_open: bool
    status_url: str


def workflow_id(place_id: str) -> str:
    return f"{SCENARIO}-{place_id}"


@router.post("/counts", status_code=status.HTTP_202_ACCEPTED, response_model=CountAccepted, responses=PROBLEMS,
             summary="People counted at a dense place (人员密集场所) by the venue's system")
async def post_count(reading: CrowdCount, request: Request, client: TemporalDep, engine: EngineDep, caller: CallerDep) -> CountAccepted:
    with Session(engine) as session:
        row = session.get(DensePlace, reading.place_id)
        if row is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown place {reading.place_id}")
        place = DensePlaceRef(place_id=row.id, name=row.name, capacity=row.capacity, place=place_of(session, row.lon, row.lat, row.street_code))
    if caller.principal.role is not Role.city and not (caller.principal.role is Role.district and caller.principal.unit == place.place.district_code):
        raise caller.deny(f"counts for {place.name} come from the city or district {place.place.district_code}")
    policy: CrowdPolicy = request.app.state.crowd_policy
    ratio = reading.count / place.capacity
    url = str(request.url_for("get_place_case", place_id=place.place_id))
    if policy.level_of(ratio) is not None:
        await client.start_workflow(
            CrowdControlWorkflow.run, CrowdInput(place=place, policy=policy), id=workflow_id(place.place_id),
            task_queue=task_queues.DISTRICT, start_signal="count", start_signal_args=[reading],
            search_attributes=TypedSearchAttributes([SearchAttributePair(sa.SCENARIO, SCENARIO)]),
            static_summary=f"人流管控 {place.name}",
        )
        return CountAccepted(ratio=ratio, case_open=True, status_url=url)
    try:
        await client.get_workflow_handle(workflow_id(place.place_id)).signal(CrowdControlWorkflow.count, reading)
    except RPCError as err:
        if err.status is not RPCStatusCode.NOT_FOUND:
            raise
        return CountAccepted(ratio=ratio, case_open=False, status_url=url)
    return CountAccepted(ratio=ratio, case_open=True, status_url=url)


@router.get("/places/{place_id}", response_model=CrowdStatus, responses=PROBLEMS, summary="The place's current (or last) case")
async def get_place_case(place_id: str, client: TemporalDep, caller: CallerDep) -> CrowdStatus:
    return await status_in_scope(client, workflow_id(place_id), caller, CrowdStatus)


@router.post("/places/{place_id}/actions/{action}", response_model=CrowdStatus, responses=PROBLEMS,
             summary="Staff on site (accept), or a level's measure in place (report_measure)")
async def act_on_place_case(
    place_id: str, action: Literal["accept", "report_measure"], client: TemporalDep, caller: CallerDep,
    body: Annotated[dict[str, Any], Body(description="the command without `actor` (the bearer token says who acts)")],
) -> CrowdStatus:
    command_type = AcceptCommand if action == "accept" else MeasureCommand
    return await act(client, workflow_id(place_id), action, command_type, body, caller, CrowdStatus)
