"""The dev UI's decoder (`onething dev`): the UI's origin reads case payloads in clear,
a page from any other origin is refused, and broken input gets a reason, not a crash."""

import base64

import httpx
import pytest
from google.protobuf.json_format import MessageToDict
from temporalio.api.common.v1 import Payloads

from models.settings import Settings
from models.temporal_client import data_converter, payload_codec
from workers.dev_codec import LocalCodecServer

UI = "http://127.0.0.1:8233"


@pytest.fixture
def codec():
    server = LocalCodecServer(payload_codec(Settings()), ui_origins={UI}).start()
    yield server
    server.stop()


async def sealed(text: str) -> dict:
    converter = data_converter(Settings())
    payloads = await converter.encode([text])
    return MessageToDict(Payloads(payloads=payloads))


async def test_the_ui_reads_a_summary_in_clear(codec):
    body = await sealed("渣土车 冒装 渝A·12345 · awaiting officer")
    assert base64.b64decode(body["payloads"][0]["metadata"]["encoding"]) == b"binary/encrypted"
    async with httpx.AsyncClient(base_url=codec.url) as http:
        preflight = await http.options("/decode", headers={"Origin": UI, "Access-Control-Request-Method": "POST"})
        response = await http.post("/decode?preserveStorageRefs=true", json=body, headers={"Origin": UI})  # as the UI asks
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == UI
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == UI
    payload = response.json()["payloads"][0]
    assert base64.b64decode(payload["data"]).decode() == '"渣土车 冒装 渝A·12345 · awaiting officer"'


async def test_a_page_from_another_origin_is_refused(codec):
    body = await sealed("渝A·12345")
    async with httpx.AsyncClient(base_url=codec.url) as http:
        response = await http.post("/decode", json=body, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert "not this stack's Temporal UI" in response.json()["detail"]
    assert "access-control-allow-origin" not in response.headers
    assert "12345" not in response.text


async def test_bad_input_gets_a_reason(codec):
    body = await sealed("渝A·12345")
    tampered = {"payloads": [{**body["payloads"][0], "data": base64.b64encode(b"x" * 40).decode()}]}
    async with httpx.AsyncClient(base_url=codec.url) as http:
        forged = await http.post("/decode", json=tampered)
        garbage = await http.post("/decode", content=b"{not json", headers={"Content-Type": "application/json"})
        unknown = await http.post("/transcode", json=body)
    assert forged.status_code == 422 and "does not authenticate" in forged.json()["detail"]
    assert garbage.status_code == 422 and garbage.json()["detail"].startswith("cannot decode")
    assert unknown.status_code == 404


def test_it_listens_on_loopback_only(codec):
    assert codec.url.startswith("http://127.0.0.1:")
