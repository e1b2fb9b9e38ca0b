"""Oversized request bodies are refused with 413 before the app reads them."""

import httpx

from api.app import create_app
from api.limits import MAX_BODY_BYTES


async def test_declared_and_streamed_oversize_bodies_get_413():
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://onething.test") as client:
        big = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
        declared = await client.post("/v1/scenarios/muck-truck/events", content=big, headers={"content-type": "application/json"})
        assert declared.status_code == 413 and "by reference" in declared.json()["detail"], declared.text

        async def chunks():
            for _ in range(5):
                yield b" " * (MAX_BODY_BYTES // 2)

        streamed = await client.post("/v1/scenarios/muck-truck/events", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
