"""The demo case: one real muck-truck case driven through the running stack's HTTP API,
the way the three tiers would drive it — a camera alert for a permitted truck seen
outside its site's district, the city confirming, the officer accepting and disposing,
the district verifying — then the case's path and ledger rows, printed. Each step carries
its own actor's token, minted with the stack's key, as each tier's app would.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.auth import bearer, signing_key
from models.case import CaseStatus, Role, Stage
from models.settings import Settings
from models.store import Camera, CaseLedgerEntry, ConstructionSite, TransportPermit
from workers.frames import write_frame


class DemoReport(BaseModel):
    case: CaseStatus
    ledger: list[tuple[str, str, str]]


def pick_truck_and_camera(engine: Engine, at: datetime) -> tuple[TransportPermit, Camera]:
    """A truck with a permit valid now, and a camera in another district (so the city acts)."""
    with Session(engine) as session:
        permits = session.exec(
            select(TransportPermit)
            .where(TransportPermit.status == "active", TransportPermit.valid_from <= at, TransportPermit.valid_until > at)
            .order_by(TransportPermit.id)
        ).all()
        for permit in permits:
            site = session.get(ConstructionSite, permit.site_id)
            camera = session.exec(
                select(Camera).where(Camera.district_code != site.district_code).order_by(Camera.id)
            ).first()
            if camera is not None:
                return permit, camera
    raise RuntimeError("the registry has no valid permit and camera to demo with; run `onething seed`")


async def run_demo_case(api_url: str, engine: Engine, settings: Settings, *, say=print) -> DemoReport:
    now = datetime.now(UTC)
    permit, camera = pick_truck_and_camera(engine, now)
    frame = write_frame(settings.home / "snapshots", f"demo-{now:%Y%m%dT%H%M%S}.png", seed=int(now.timestamp()))
    event = {
        "camera_id": camera.id,
        "observed_at": now.isoformat(),
        "snapshot_uri": str(frame.resolve()),
        "alert": {"violation": "overloading", "plate": permit.plate, "confidence": 0.93},
    }
    key = signing_key(settings)

    def token(role: Role, sub: str, **scope: str) -> dict[str, str]:
        return bearer(key, sub=sub, role=role, ttl=timedelta(minutes=15), **scope)

    camera_key = token(Role.camera, camera.id, camera=camera.id)
    city = token(Role.city, "city-duty")
    async with httpx.AsyncClient(base_url=api_url, timeout=30, headers=city) as http:
        posted = http.post("/v1/scenarios/muck-truck/events", json=event, headers=camera_key)
        accepted = (await _ok(posted)).json()
        case_id = accepted["case_id"]
        say(f"camera {camera.id} ({camera.road_name}) saw {permit.plate} overloaded → case {case_id}")

        status = await _until(http, case_id, {Stage.awaiting_city, Stage.awaiting_response})
        if status.stage is Stage.awaiting_city:
            say(f"source site in {status.source_site.place.district_name}: city centre confirms and re-dispatches")
            await _act(http, case_id, "confirm_cross_district", {}, city)
            status = await _until(http, case_id, {Stage.awaiting_response})
        officer = token(Role.officer, status.officer.officer_id, unit=status.officer.street_code)
        say(f"assigned to {status.officer.officer_name} in {status.responsible.street_name}")
        await _act(http, case_id, "accept", {"note": "on my way"}, officer)
        await _until(http, case_id, {Stage.disposing})
        report = {"outcome": "责令清理路面并处罚款", "penalty_ref": f"DEMO-{now:%Y%m%d%H%M%S}"}
        await _act(http, case_id, "report_disposal", {"report": report}, officer)
        await _until(http, case_id, {Stage.verifying})
        district = token(Role.district, "district-duty", unit=status.responsible.district_code)
        await _act(http, case_id, "verify", {"note": "现场核查通过"}, district)
        final = await _until(http, case_id, {Stage.closed})
    with Session(engine) as session:
        rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == case_id)).all()
        ledger = sorted((row.tier, row.unit_code, row.outcome) for row in rows)
    return DemoReport(case=final, ledger=ledger)


async def _ok(response_future) -> httpx.Response:
    response = await response_future
    if response.is_error:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: {response.text}")
    return response


async def _act(http: httpx.AsyncClient, case_id: str, action: str, body: dict, actor: dict[str, str]) -> None:
    await _ok(http.post(f"/v1/cases/{case_id}/actions/{action}", json=body, headers=actor))


async def _until(http: httpx.AsyncClient, case_id: str, stages: set[Stage], timeout_s: float = 60) -> CaseStatus:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        status = CaseStatus.model_validate((await _ok(http.get(f"/v1/cases/{case_id}"))).json())
        if status.stage in stages:
            return status
        if loop.time() > deadline:
            raise TimeoutError(f"case {case_id} stuck in {status.stage.value}; wanted {sorted(stages)}")
        await asyncio.sleep(0.1)
