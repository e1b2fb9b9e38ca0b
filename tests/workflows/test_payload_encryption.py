"""Case payloads are encrypted at rest in Temporal: read raw, the history shows only
ciphertext; through the codec (workers, API, UI codec endpoint) it reads normally."""

import base64

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client

from models.case import Stage
from models.payload_codec import ENCODING, EncryptionCodec, PayloadKeyError
from tests.casebook import NEAR_OFFICER, PLATE_LOCAL
from tests.workflows.conftest import wait_for

KEY_A, KEY_B = b"a" * 32, b"b" * 32


async def test_history_holds_only_ciphertext(dev_stack):
    handle = await dev_stack.open_case(dev_stack.event(PLATE_LOCAL))
    await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    raw = await Client.connect(dev_stack.client.service_client.config.target_host)  # no codec
    history = await raw.get_workflow_handle(handle.id).fetch_history()
    payloads = [
        payload
        for event in history.events
        for payload in _payloads(event)
    ]
    assert payloads, "the history carries payloads"
    plain = [(p.metadata, p.data[:80]) for p in payloads if p.metadata["encoding"] != ENCODING]
    assert not plain, plain
    everything = b"".join(p.data for p in payloads)
    assert NEAR_OFFICER.encode() not in everything and PLATE_LOCAL.encode() not in everything


def _payloads(event) -> list[Payload]:
    for attributes in (
        event.workflow_execution_started_event_attributes.input,
        event.activity_task_scheduled_event_attributes.input,
        event.activity_task_completed_event_attributes.result,
    ):
        yield from attributes.payloads
    # a local activity's marker: "result" is ours (encrypted); "data" is the SDK's own
    # bookkeeping (sequence, attempt, activity type), which carries no case data
    if event.HasField("marker_recorded_event_attributes"):
        yield from event.marker_recorded_event_attributes.details["result"].payloads


async def test_keys_rotate_and_unknown_keys_are_refused():
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'{"officer": "OF-1"}')
    old = EncryptionCodec({"k1": KEY_A}, "k1")
    (sealed,) = await old.encode([plain])
    rotated = EncryptionCodec({"k1": KEY_A, "k2": KEY_B}, "k2")
    assert await rotated.decode([sealed]) == [plain]
    (resealed,) = await rotated.encode([plain])
    assert resealed.metadata["encryption-key-id"] == b"k2"
    with pytest.raises(PayloadKeyError, match="k2"):
        await old.decode([resealed])
    tampered = Payload(metadata=resealed.metadata, data=resealed.data[:-1] + bytes([resealed.data[-1] ^ 1]))
    with pytest.raises(PayloadKeyError, match="tampered"):
        await rotated.decode([tampered])
    with pytest.raises(PayloadKeyError, match="32 bytes"):
        EncryptionCodec({"k1": base64.b64decode("c2hvcnQ=")}, "k1")
