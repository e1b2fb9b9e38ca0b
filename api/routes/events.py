"""Scenario triggers: a camera event becomes (or joins) a case."""

from fastapi import APIRouter, HTTPException, Request, status
from sqlmodel import Session

from activities.evidence_store import EvidenceRejected, SnapshotFetcher
from api.access import event_refusal
from api.auth import REFUSED, CallerDep
from api.deps import EngineDep, SettingsDep, TemporalDep
from api.intake import submit_muck_truck_event
from api.schemas import EventAccepted, Problem
from models.case import CameraEvent
from models.store import Camera
from workflows.muck_truck import SCENARIO

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"])


@router.post(
    "/muck-truck/events",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=EventAccepted,
    responses={422: {"model": Problem}, **REFUSED},
    summary="Report a muck-truck (渣土车) sighting from a road camera",
)
async def post_muck_truck_event(
    event: CameraEvent,
    request: Request,
    client: TemporalDep,
    engine: EngineDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> EventAccepted:
    if reason := event_refusal(caller.principal, event.camera_id):
        raise caller.deny(reason)
    with Session(engine) as session:
        if session.get(Camera, event.camera_id) is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown camera {event.camera_id}")
    fetcher = SnapshotFetcher(settings.allowed_snapshot_roots, settings.max_snapshot_bytes)
    try:
        fetcher.check_reference(event.snapshot_uri)
    except EvidenceRejected as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from err
    receipt = await submit_muck_truck_event(client, event, request.app.state.muck_truck_policy)
    request.app.state.metrics.sighting(SCENARIO, receipt.joined_existing)
    return EventAccepted(
        case_id=receipt.case_id,
        joined_existing=receipt.joined_existing,
        evidence_count=receipt.evidence_count,
        status_url=str(request.url_for("get_case", case_id=receipt.case_id)),
    )


