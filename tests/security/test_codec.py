"""The codec endpoint decodes a real case's encrypted history for operators only."""

import base64

from google.protobuf.json_format import MessageToDict
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client

from models.case import Role
from models.payload_codec import ENCODING
from tests.casebook import JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN
from tests.security.conftest import audit_rows


async def test_operators_decode_the_encrypted_history_others_are_refused(api):
    case_id = await api.open_case(PLATE_LOCAL, 901)
    await api.stage_of(case_id, "awaiting_response")
    raw = await Client.connect(api.stack.client.service_client.config.target_host)  # sees ciphertext
    history = await raw.get_workflow_handle(case_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes.input
    assert started.payloads[0].metadata["encoding"] == ENCODING
    body = MessageToDict(started)

    for role, sub, scope in [(Role.city, "city-duty", {}), (Role.district, "jlp-duty", {"unit": JIULONGPO})]:
        response = await api.as_(role, sub, **scope).post("/codec/decode", json=body)
        assert response.status_code == 200, response.text
        (payload,) = response.json()["payloads"]
        assert base64.b64decode(payload["metadata"]["encoding"]) == b"json/plain"
        assert PLATE_LOCAL in base64.b64decode(payload["data"]).decode(), "the decoded start input names the truck"

    officer = api.as_(Role.officer, NEAR_OFFICER, unit=XIEJIAWAN)
    refused = await officer.post("/codec/decode", json=body)
    assert refused.status_code == 403 and "only city and district operators" in refused.json()["detail"]
    assert any(row.path == "/codec/decode" and row.status == 403 for row in audit_rows(api))
    assert (await api.anonymous().post("/codec/decode", json=body)).status_code == 401

    encoded = await api.city.post("/codec/encode", json=MessageToDict(Payloads()))
    assert encoded.status_code == 200
    garbage = await api.city.post("/codec/decode", json={"payloads": [{"metadata": {"encoding": "YmluYXJ5L2VuY3J5cHRlZA=="}, "data": "AAAA"}]})
    assert garbage.status_code == 422
