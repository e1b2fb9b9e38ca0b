"""Each role against each action, through the API, on a real case: who is refused (403
with the reason, audited, nothing recorded on the case) and who gets through; the list
confined to the caller's scope; the actor taken from the token, never from the body."""

import asyncio

from models.case import Role
from tests.casebook import (
    CAMERA,
    FAR_OFFICER,
    JIULONGPO,
    NEAR_OFFICER,
    PLATE_LOCAL,
    PLATE_NONE,
    SHAPINGBA,
    SITE_CROSS,
    SPB_OFFICER,
    XIAOLONGKAN,
    XIEJIAWAN,
    YANGJIAPING,
)
from tests.security.conftest import audit_rows

# The case under test: seen by CAMERA (杨家坪, 九龙坡), handled by 谢家湾 (九龙坡), assigned to NEAR_OFFICER.
CALLERS = {
    "city": (Role.city, "city-duty", {}),
    "district": (Role.district, "jlp-duty", {"unit": JIULONGPO}),
    "other district": (Role.district, "spb-duty", {"unit": SHAPINGBA}),
    "street": (Role.street, "xjw-duty", {"unit": XIEJIAWAN}),
    "camera's street": (Role.street, "yjp-duty", {"unit": YANGJIAPING}),
    "assigned officer": (Role.officer, NEAR_OFFICER, {"unit": XIEJIAWAN}),
    "other officer": (Role.officer, FAR_OFFICER, {"unit": XIEJIAWAN}),
    "camera": (Role.camera, CAMERA, {"camera": CAMERA}),
}
DISTRICT_OR_CITY = {"city", "district"}
ALLOWED = {
    "accept": {"assigned officer"},
    "report_disposal": {"assigned officer"},
    "verify": DISTRICT_OR_CITY,
    "return_case": DISTRICT_OR_CITY,
    "transfer": DISTRICT_OR_CITY,
    "triage": DISTRICT_OR_CITY,
    "confirm_cross_district": {"city"},
    "get_case": {"city", "district", "street", "assigned officer"},
}
# Fails body validation, so an allowed caller gets 422 and the case stays as it is.
PROBE = {"note": "x" * 501}


def clients(api) -> dict:
    return {name: api.as_(role, sub, **scope) for name, (role, sub, scope) in CALLERS.items()}


async def test_each_role_against_each_action_on_a_case(api):
    case_id = await api.open_case(PLATE_LOCAL, 1)
    before = await api.stage_of(case_id, "awaiting_response")
    callers = clients(api)
    outcomes, expected = {}, {}
    for action, allowed in ALLOWED.items():
        for name, client in callers.items():
            if action == "get_case":
                response = await client.get(f"/v1/cases/{case_id}")
                expected[action, name] = 200 if name in allowed else 403
            else:
                response = await client.post(f"/v1/cases/{case_id}/actions/{action}", json=PROBE)
                expected[action, name] = 422 if name in allowed else 403
            outcomes[action, name] = response.status_code
            if response.status_code == 403:
                assert response.json()["detail"], "a refusal carries its reason"
    assert outcomes == expected

    denied = {(action, name) for (action, name), code in expected.items() if code == 403}
    rows = audit_rows(api)
    assert all(row.status == 403 and row.case_id == case_id and row.reason for row in rows)
    audited = {(row.action, row.subject, row.role, row.unit) for row in rows}
    assert len(rows) == len(denied) and audited == {
        (action, CALLERS[name][1], CALLERS[name][0].value, CALLERS[name][2].get("unit", CALLERS[name][2].get("camera", "CITY")))
        for action, name in denied
    }
    after = await api.stage_of(case_id, "awaiting_response")
    assert after["timeline"] == before["timeline"], "no refusal reached the workflow"


async def test_reasons_say_what_is_wrong(api):
    case_id = await api.open_case(PLATE_LOCAL, 2)
    await api.stage_of(case_id, "awaiting_response")
    callers = clients(api)
    reasons = {
        ("other officer", "accept"): f"officer {FAR_OFFICER} is not assigned to case {case_id}",
        ("other district", "verify"): f"district {SHAPINGBA} has no jurisdiction over case {case_id}",
        ("street", "verify"): "this needs district or city staff, not a street user",
        ("camera's street", "verify"): f"street {YANGJIAPING} has no jurisdiction over case {case_id}",
        ("district", "accept"): "only the assigned officer can do this, not a district user",
        ("district", "confirm_cross_district"): "only the city operations centre can do this",
        ("camera", "verify"): "a camera key only reports sightings",
    }
    for (name, action), reason in reasons.items():
        response = await callers[name].post(f"/v1/cases/{case_id}/actions/{action}", json={})
        assert response.status_code == 403 and reason in response.json()["detail"], (name, action, response.text)


async def test_only_a_camera_key_posts_sightings_and_only_for_its_own_camera(api):
    outside = {**api.sighting(PLATE_LOCAL, 3), "snapshot_uri": "/etc/passwd"}  # 422 once past authorisation
    for name, client in clients(api).items():
        response = await client.post("/v1/scenarios/muck-truck/events", json=outside)
        assert response.status_code == (422 if name == "camera" else 403), (name, response.text)
    stranger = api.as_(Role.camera, "CAM-ELSEWHERE", camera="CAM-ELSEWHERE")
    response = await stranger.post("/v1/scenarios/muck-truck/events", json=api.sighting(PLATE_LOCAL, 4))
    assert response.status_code == 403
    assert response.json()["detail"] == f"camera key CAM-ELSEWHERE cannot report sightings for camera {CAMERA}"
    rows = audit_rows(api)
    assert len(rows) == len(CALLERS) and {row.action for row in rows} == {"post_muck_truck_event"}
    assert rows[-1].subject == "CAM-ELSEWHERE" and rows[-1].unit == "CAM-ELSEWHERE"


async def test_the_case_list_is_confined_to_the_callers_scope(api):
    case_id = await api.open_case(PLATE_LOCAL, 5)
    await api.stage_of(case_id, "awaiting_response")
    callers = clients(api)
    forced = {
        "city": None,
        "district": f"OneThingDistrict = '{JIULONGPO}'",
        "other district": f"OneThingDistrict = '{SHAPINGBA}'",
        "street": f"OneThingStreet = '{XIEJIAWAN}'",
        "camera's street": f"OneThingStreet = '{YANGJIAPING}'",
        "assigned officer": f"OneThingOfficer = '{NEAR_OFFICER}'",
        "other officer": f"OneThingOfficer = '{FAR_OFFICER}'",
    }
    sees = {"city", "district", "street", "assigned officer"}
    listed: dict[str, set[str]] = {}
    for _ in range(50):  # visibility is eventually consistent
        for name, clause in forced.items():
            body = (await callers[name].get("/v1/cases")).json()
            assert clause is None or clause in body["query"], (name, body["query"])
            listed[name] = {case["case_id"] for case in body["cases"]}
        if all(case_id in listed[name] for name in sees):
            break
        await asyncio.sleep(0.1)
    assert {name for name, ids in listed.items() if case_id in ids} == sees

    refused = [
        (callers["camera"], {}),
        (callers["district"], {"district": SHAPINGBA}),
        (callers["street"], {"street": YANGJIAPING}),
        (callers["assigned officer"], {"officer": FAR_OFFICER}),
    ]
    for client, params in refused:
        assert (await client.get("/v1/cases", params=params)).status_code == 403, params
    asked_for_own = await callers["district"].get("/v1/cases", params={"district": JIULONGPO, "street": XIEJIAWAN})
    assert asked_for_own.status_code == 200
    assert [row.action for row in audit_rows(api)] == ["list_cases"] * len(refused)


async def test_the_actor_comes_from_the_token_never_from_the_body(api):
    case_id = await api.open_case(PLATE_LOCAL, 6)
    await api.stage_of(case_id, "awaiting_response")
    officer = api.as_(Role.officer, NEAR_OFFICER, unit=XIEJIAWAN)
    impersonating = {"actor": {"role": "city", "id": "city-duty", "unit_code": "CITY"}}
    response = await officer.post(f"/v1/cases/{case_id}/actions/accept", json=impersonating)
    assert response.status_code == 422 and "comes from the bearer token" in response.json()["detail"]
    district = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)
    as_officer = {"actor": {"role": "officer", "id": NEAR_OFFICER, "unit_code": XIEJIAWAN}}
    assert (await district.post(f"/v1/cases/{case_id}/actions/accept", json=as_officer)).status_code == 403
    assert (await api.stage_of(case_id, "awaiting_response"))["timeline"][-1]["action"] != "officer accepted"


async def test_every_step_by_the_caller_allowed_to_take_it(api):
    """Triage, the city's confirmation, a transfer, a return and the verification, each by
    the holder of the right token; the timeline names the token's subject."""
    case_id = await api.open_case(PLATE_NONE, 7)
    for _ in range(200):
        case = (await api.city.get(f"/v1/cases/{case_id}")).json()
        if case["stage"] == "triage" and any("no valid" in entry["action"] for entry in case["timeline"]):
            break
        await asyncio.sleep(0.05)
    jlp = api.as_(Role.district, "jlp-duty", unit=JIULONGPO)
    spb = api.as_(Role.district, "spb-duty", unit=SHAPINGBA)
    assert (await spb.post(f"/v1/cases/{case_id}/actions/triage", json={"site_id": SITE_CROSS})).status_code == 403
    assert (await jlp.post(f"/v1/cases/{case_id}/actions/triage", json={"site_id": SITE_CROSS})).status_code == 200
    await api.stage_of(case_id, "awaiting_city")
    assert (await api.city.post(f"/v1/cases/{case_id}/actions/confirm_cross_district", json={})).status_code == 200
    case = await api.stage_of(case_id, "awaiting_response")
    assert case["officer"]["officer_id"] == SPB_OFFICER

    moved = await spb.post(f"/v1/cases/{case_id}/actions/transfer", json={"street_code": XIEJIAWAN, "note": "实为谢家湾"})
    assert moved.status_code == 200, moved.text
    case = await api.stage_of(case_id, "awaiting_response")
    assert case["officer"]["officer_id"] == NEAR_OFFICER
    spb_officer = api.as_(Role.officer, SPB_OFFICER, unit=XIAOLONGKAN)
    assert (await spb_officer.get(f"/v1/cases/{case_id}")).status_code == 403, "no longer theirs"
    assert (await spb.get(f"/v1/cases/{case_id}")).status_code == 403, "no longer in their district"

    officer = api.as_(Role.officer, NEAR_OFFICER, unit=XIEJIAWAN)
    assert (await officer.post(f"/v1/cases/{case_id}/actions/accept", json={})).status_code == 200
    await api.stage_of(case_id, "disposing")
    for outcome in ("口头警告", "罚款并清运"):
        reported = await officer.post(f"/v1/cases/{case_id}/actions/report_disposal", json={"report": {"outcome": outcome}})
        assert reported.status_code == 200, reported.text
        await api.stage_of(case_id, "verifying")
        if outcome == "口头警告":
            returned = await jlp.post(f"/v1/cases/{case_id}/actions/return_case", json={"reason": "缺少处罚文书"})
            assert returned.status_code == 200, returned.text
            await api.stage_of(case_id, "disposing")
    assert (await jlp.post(f"/v1/cases/{case_id}/actions/verify", json={})).status_code == 200
    closed = await api.stage_of(case_id, "closed")
    assert closed["outcome"] == "罚款并清运" and closed["returns"] == 1
    actors = {entry["actor"] for entry in closed["timeline"]}
    assert {"district:jlp-duty", "city:city-duty", "district:spb-duty", f"officer:{NEAR_OFFICER}"} <= actors


async def test_service_level_reports_are_read_within_the_callers_scope(api):
    callers = clients(api)
    asks = {
        "city": {"tier": "city"},
        "九龙坡": {"district": JIULONGPO},
        "谢家湾 (九龙坡)": {"street": XIEJIAWAN},
        "沙坪坝": {"district": SHAPINGBA},
        "小龙坎 (沙坪坝)": {"street": XIAOLONGKAN},
    }
    readable = {
        "city": set(asks),
        "district": {"九龙坡", "谢家湾 (九龙坡)"},
        "other district": {"沙坪坝", "小龙坎 (沙坪坝)"},
        "street": {"谢家湾 (九龙坡)"},
    }
    outcomes = {}
    for name, client in callers.items():
        for ask, params in asks.items():
            outcomes[name, ask] = (await client.get("/v1/metrics/sla", params=params)).status_code
    assert outcomes == {
        (name, ask): 200 if ask in readable.get(name, set()) else 403 for name in callers for ask in asks
    }
    refused = (await callers["district"].get("/v1/metrics/sla")).json()["detail"]
    assert refused == f"a district user cannot read the city report of CITY (ask for your own: district={JIULONGPO})"
    assert {row.action for row in audit_rows(api)} == {"get_sla"}
