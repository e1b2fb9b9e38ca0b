"""Both scenarios through the HTTP API on the real dev server: triggers, the warning's
counts and a patrol's actions, a place's case; bad input is 4xx with the reason."""

import asyncio
import uuid
from datetime import UTC, datetime

from models.case import Role
from tests.casebook import JIULONGPO, XIEJIAWAN
from tests.scenarios.scenebook import CROWD_XJW, FLOOD_XJW, PLACE, PLACE_CAPACITY, load_scenebook, risk_point_id

NOW = lambda: datetime.now(UTC).isoformat()  # noqa: E731


async def until(client, url: str, predicate, timeout_s: float = 20) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        response = await client.get(url)
        if response.status_code == 200 and predicate(body := response.json()):
            return body
        assert asyncio.get_running_loop().time() < deadline, f"{url}: {response.status_code} {response.text[:400]}"
        await asyncio.sleep(0.1)


async def test_heavy_rain_through_the_api(api):
    load_scenebook(api.stack.engine, risk_points=1)
    warning_id = f"API-{uuid.uuid4().hex[:8]}"
    warning = {"kind": "warning", "warning_id": warning_id, "area": {"district_codes": [JIULONGPO]}, "level": "yellow", "issued_at": NOW()}
    issued = await api.city.post("/v1/scenarios/heavy-rain/events", json=warning)
    assert issued.status_code == 202, issued.text
    parent_id = f"heavy-rain-{warning_id}"
    patrol_id = f"{parent_id}-{risk_point_id(1)}"
    api.stack._opened += [api.stack.client.get_workflow_handle(i) for i in (parent_id, patrol_id)]

    status_url = f"/v1/scenarios/heavy-rain/warnings/{warning_id}"
    await until(api.city, status_url, lambda s: s["dispatched"] == 1)
    upgraded = await api.city.post("/v1/scenarios/heavy-rain/events", json={**warning, "level": "red"})
    assert upgraded.status_code == 202
    inspector = api.as_(Role.officer, FLOOD_XJW, unit=XIEJIAWAN)
    patrol = await until(inspector, f"/v1/scenarios/heavy-rain/patrols/{patrol_id}", lambda s: s["level"] == "red" and s["stage"] == "awaiting_response")
    assert patrol["officer"]["officer_id"] == FLOOD_XJW

    early = await inspector.post(f"/v1/scenarios/heavy-rain/patrols/{patrol_id}/actions/report", json={"report": {"finding": "safe"}})
    assert early.status_code == 409 and "awaiting_response" in early.json()["detail"]
    accepted = await inspector.post(f"/v1/scenarios/heavy-rain/patrols/{patrol_id}/actions/accept", json={})
    assert accepted.status_code == 200, accepted.text
    await until(inspector, f"/v1/scenarios/heavy-rain/patrols/{patrol_id}", lambda s: s["stage"] == "patrolling")
    reported = await inspector.post(f"/v1/scenarios/heavy-rain/patrols/{patrol_id}/actions/report", json={"report": {"finding": "safe"}})
    assert reported.status_code == 200, reported.text

    lifted = await api.city.post("/v1/scenarios/heavy-rain/events", json={"kind": "lift", "warning_id": warning_id, "lifted_at": NOW()})
    assert lifted.status_code == 202
    final = await until(api.city, status_url, lambda s: s["stage"] == "closed")
    assert final["counts"] == {"awaiting_response": 0, "patrolling": 0, "safe": 1}
    reissued = await api.city.post("/v1/scenarios/heavy-rain/events", json=warning)
    assert reissued.status_code == 409 and "lifted" in reissued.json()["detail"]
    listed = (await api.city.get("/v1/cases", params={"scenario": "heavy-rain"})).json()["cases"]
    assert {parent_id, patrol_id} <= {case["case_id"] for case in listed}

    for bad, reason in [
        ({**warning, "warning_id": "X-1", "area": {"district_codes": ["500199"]}}, "unknown districts"),
        ({**warning, "warning_id": "X-2", "area": {"polygon": {"type": "Polygon", "coordinates": [[[116, 39], [116.1, 39], [116.1, 39.1], [116, 39]]]}}}, "outside Chongqing"),
        ({**warning, "warning_id": "X-3", "area": {}}, "district_codes, a polygon"),
        ({**warning, "level": "purple"}, "level"),
    ]:
        response = await api.city.post("/v1/scenarios/heavy-rain/events", json=bad)
        assert response.status_code == 422 and reason in response.text, response.text
    assert (await api.city.post("/v1/scenarios/heavy-rain/events", json={"kind": "lift", "warning_id": "NOPE", "lifted_at": NOW()})).status_code == 404
    district = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)
    assert (await district.post("/v1/scenarios/heavy-rain/events", json=warning)).status_code == 403
    below = {"kind": "reading", "station_id": "G1", "measure": "rainfall_mm_per_h", "value": 10, "threshold": 50, "lon": 106.52, "lat": 29.52, "observed_at": NOW()}
    assert (await api.city.post("/v1/scenarios/heavy-rain/events", json=below)).json()["outcome"] == "below_threshold"


async def test_crowd_control_through_the_api(api):
    load_scenebook(api.stack.engine, risk_points=0)
    api.stack._opened.append(api.stack.client.get_workflow_handle(f"crowd-{PLACE}"))
    district = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)

    calm = await district.post("/v1/scenarios/crowd/counts", json={"place_id": PLACE, "count": 500, "observed_at": NOW()})
    assert calm.status_code == 202 and calm.json()["case_open"] is False, calm.text
    crowded = await district.post("/v1/scenarios/crowd/counts", json={"place_id": PLACE, "count": PLACE_CAPACITY, "observed_at": NOW()})
    assert crowded.json() == {"ratio": 1.0, "case_open": True, "status_url": crowded.json()["status_url"]}
    staff = api.as_(Role.officer, CROWD_XJW, unit=XIEJIAWAN)
    case = await until(staff, f"/v1/scenarios/crowd/places/{PLACE}", lambda s: s["stage"] == "awaiting_response")
    assert case["officer"]["officer_id"] == CROWD_XJW
    assert (await staff.post(f"/v1/scenarios/crowd/places/{PLACE}/actions/accept", json={})).status_code == 200
    await until(staff, f"/v1/scenarios/crowd/places/{PLACE}", lambda s: s["level"] == "restrict" and s["stage"] == "awaiting_response" and s["breaches"] == [])
    measured = await staff.post(f"/v1/scenarios/crowd/places/{PLACE}/actions/report_measure", json={"level": "restrict"})
    assert measured.status_code == 200, measured.text
    too_far = await staff.post(f"/v1/scenarios/crowd/places/{PLACE}/actions/report_measure", json={"level": "evacuate"})
    assert too_far.status_code == 409 and "not called for" in too_far.json()["detail"]

    unknown = await district.post("/v1/scenarios/crowd/counts", json={"place_id": "NOPE", "count": 1, "observed_at": NOW()})
    assert unknown.status_code == 422 and "unknown place" in unknown.text
    negative = await district.post("/v1/scenarios/crowd/counts", json={"place_id": PLACE, "count": -1, "observed_at": NOW()})
    assert negative.status_code == 422
    other = api.as_(Role.district, "spb-duty", unit="500106")
    assert (await other.post("/v1/scenarios/crowd/counts", json={"place_id": PLACE, "count": 1, "observed_at": NOW()})).status_code == 403
    assert (await other.get(f"/v1/scenarios/crowd/places/{PLACE}")).status_code == 403
