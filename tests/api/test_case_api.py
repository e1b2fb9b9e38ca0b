"""The HTTP API end to end: the FastAPI app (through httpx) against the real Temporal dev
server with every tier's worker running, and the store checked afterwards. Each step is
taken by the caller whose token allows it (tests/security/ covers who may not)."""

import asyncio

import httpx
from sqlmodel import Session, select

from models.case import Role
from models.store import CaseLedgerEntry
from tests.casebook import FAR_OFFICER, JIULONGPO, NEAR_OFFICER, PLATE_CROSS, PLATE_LOCAL, XIEJIAWAN


def officer(api, officer_id: str = NEAR_OFFICER) -> httpx.AsyncClient:
    return api.as_(Role.officer, officer_id, unit=XIEJIAWAN)


async def test_event_to_closed_case_through_the_api(api):
    response = await api.camera.post("/v1/scenarios/muck-truck/events", json=api.sighting(PLATE_LOCAL, 1))
    assert response.status_code == 202, response.text
    case_id = response.json()["case_id"]
    api.stack._opened.append(api.stack.client.get_workflow_handle(case_id))
    assert response.json()["status_url"].endswith(f"/v1/cases/{case_id}")

    case = await api.stage_of(case_id, "awaiting_response")
    assert case["officer"]["officer_id"] == NEAR_OFFICER and case["responsible"]["street_code"] == XIEJIAWAN

    district = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)
    listed = (await district.get("/v1/cases", params={"stage": "awaiting_response"})).json()
    for _ in range(40):  # visibility is eventually consistent
        if any(c["case_id"] == case_id for c in listed["cases"]):
            break
        await asyncio.sleep(0.1)
        listed = (await district.get("/v1/cases", params={"stage": "awaiting_response"})).json()
    mine = next(c for c in listed["cases"] if c["case_id"] == case_id)
    assert mine["officer"] == NEAR_OFFICER and mine["street"] == XIEJIAWAN and mine["breached"] is False
    assert "OneThingDistrict = '500107'" in listed["query"]

    wrong = await officer(api, FAR_OFFICER).post(f"/v1/cases/{case_id}/actions/accept", json={})
    assert wrong.status_code == 403 and "not assigned" in wrong.json()["detail"]
    assigned = officer(api)
    assert (await assigned.post(f"/v1/cases/{case_id}/actions/accept", json={})).status_code == 200
    await api.stage_of(case_id, "disposing")
    report = {"outcome": "清扫路面、罚款", "penalty_ref": "渝九城罚〔2026〕100"}
    ok = await assigned.post(f"/v1/cases/{case_id}/actions/report_disposal", json={"report": report})
    assert ok.status_code == 200, ok.text
    await api.stage_of(case_id, "verifying")
    assert (await district.post(f"/v1/cases/{case_id}/actions/verify", json={})).status_code == 200
    closed = await api.stage_of(case_id, "closed")
    assert closed["outcome"] == "清扫路面、罚款"
    actors = {e["action"]: e["actor"] for e in closed["timeline"]}
    assert actors["officer accepted"] == f"officer:{NEAR_OFFICER}" and actors["district verified"] == "district:jlp-duty"

    late = await district.post(f"/v1/cases/{case_id}/actions/verify", json={})
    assert late.status_code == 409
    with Session(api.stack.engine) as session:
        rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == case_id)).all()
    assert sorted((r.tier, r.unit_code) for r in rows) == [("city", "CITY"), ("district", JIULONGPO), ("street", XIEJIAWAN)]


async def test_bad_input_is_refused_with_a_reason(api):
    unknown_camera = {**api.sighting(PLATE_LOCAL, 2), "camera_id": "CAM-NOPE"}
    nope = api.as_(Role.camera, "CAM-NOPE", camera="CAM-NOPE")
    r = await nope.post("/v1/scenarios/muck-truck/events", json=unknown_camera)
    assert r.status_code == 422 and "unknown camera CAM-NOPE" in r.json()["detail"]

    outside = {**api.sighting(PLATE_LOCAL, 3), "snapshot_uri": "/etc/passwd"}
    r = await api.camera.post("/v1/scenarios/muck-truck/events", json=outside)
    assert r.status_code == 422 and "outside the allowed snapshot directories" in r.json()["detail"]

    missing = {**api.sighting(PLATE_LOCAL, 4), "snapshot_uri": str(api.stack.settings.home / "snapshots" / "x.png")}
    assert (await api.camera.post("/v1/scenarios/muck-truck/events", json=missing)).status_code == 422

    bad_plate = api.sighting("ABC123", 5)
    r = await api.camera.post("/v1/scenarios/muck-truck/events", json=bad_plate)
    assert r.status_code == 422 and "not a Chinese plate" in r.text

    naive_time = {**api.sighting(PLATE_LOCAL, 6), "observed_at": "2026-11-24T10:00:00"}
    assert (await api.camera.post("/v1/scenarios/muck-truck/events", json=naive_time)).status_code == 422

    r = await api.city.get("/v1/cases/no-such-case")
    assert r.status_code == 404 and "no case no-such-case" in r.json()["detail"]
    r = await officer(api).post("/v1/cases/no-such-case/actions/accept", json={})
    assert r.status_code == 404
    r = await api.city.post("/v1/cases/x/actions/dance", json={})
    assert r.status_code == 422
    r = await api.city.get("/v1/cases", params={"district": "5001'; drop"})
    assert r.status_code == 422


async def test_cross_district_refusals_and_unknown_references(api):
    case_id = await api.open_case(PLATE_CROSS, 7)
    await api.stage_of(case_id, "awaiting_city")
    district = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)
    r = await district.post(f"/v1/cases/{case_id}/actions/confirm_cross_district", json={})
    assert r.status_code == 403 and "only the city" in r.json()["detail"]
    confirm = f"/v1/cases/{case_id}/actions/confirm_cross_district"
    r = await api.city.post(confirm, json={"street_code": "500199999"})
    assert r.status_code == 422 and "not in the directory" in r.json()["detail"]
    r = await api.city.post(confirm, json={"street_code": "12"})
    assert r.status_code == 422 and "street_code" in r.json()["detail"]
    assert (await api.city.get(f"/v1/cases/{case_id}")).json()["stage"] == "awaiting_city", "refusals changed nothing"


async def test_health_and_the_docs_need_no_token(api):
    anonymous = api.anonymous()
    body = (await anonymous.get("/healthz")).json()
    assert body == {"status": "ok", "temporal": "ok", "database": "ok"}
    assert "/v1/scenarios/muck-truck/events" in (await anonymous.get("/openapi.json")).json()["paths"]
    assert (await anonymous.get("/docs")).status_code == 200
