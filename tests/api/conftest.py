"""The app under test, through httpx, against the real dev server with every tier's worker;
each caller is a client carrying its own token, signed with the stack's key."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest_asyncio
from fastapi import FastAPI

from api.app import create_app
from models.auth import bearer, signing_key
from models.case import Role
from tests.casebook import CAMERA
from tests.workflows.conftest import Stack, case_settings, dev_env, dev_stack  # noqa: F401  (shared fixtures)
from workers.frames import write_frame


class Api:
    """The running app; `as_(...)` is a client acting as one caller (`city` and `camera`
    are the common two), `anonymous()` one without a token."""

    def __init__(self, app: FastAPI, stack: Stack) -> None:
        self.app = app
        self.stack = stack
        self.key = signing_key(stack.settings)
        self._transport = httpx.ASGITransport(app=app)
        self._clients: list[httpx.AsyncClient] = []
        self.city = self.as_(Role.city, "city-duty")
        self.camera = self.as_(Role.camera, CAMERA, camera=CAMERA)

    def as_(self, role: Role, sub: str, **scope: str) -> httpx.AsyncClient:
        return self.anonymous(**bearer(self.key, sub=sub, role=role, **scope))

    def anonymous(self, **headers: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=self._transport, base_url="http://onething.test", headers=headers)
        self._clients.append(client)
        return client

    def sighting(self, plate: str, n: int, **alert) -> dict:
        """A camera event at CAMERA for `plate`, with its own frame (`n` keeps frames apart)."""
        frame = write_frame(self.stack.settings.home / "snapshots", f"api-{plate}-{n}.png", seed=1000 + n)
        return {
            "camera_id": CAMERA,
            "observed_at": datetime.now(UTC).isoformat(),
            "snapshot_uri": str(frame),
            "alert": {"violation": "spillage", "plate": plate, "confidence": 0.88, **alert},
        }

    async def open_case(self, plate: str, n: int) -> str:
        response = await self.camera.post("/v1/scenarios/muck-truck/events", json=self.sighting(plate, n))
        assert response.status_code == 202, response.text
        case_id = response.json()["case_id"]
        self.stack._opened.append(self.stack.client.get_workflow_handle(case_id))
        return case_id

    async def stage_of(self, case_id: str, wanted: str, timeout_s: float = 20) -> dict:
        """The case's status (read by the city) once it reaches stage `wanted`."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        while True:
            body = (await self.city.get(f"/v1/cases/{case_id}")).json()
            if body["stage"] == wanted:
                return body
            assert asyncio.get_running_loop().time() < deadline, f"stuck in {body['stage']}, wanted {wanted}"
            await asyncio.sleep(0.05)

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


@pytest_asyncio.fixture
async def api(dev_stack: Stack) -> AsyncIterator[Api]:
    settings = dev_stack.settings.model_copy(
        update={"temporal_address": dev_stack.client.service_client.config.target_host}
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        running = Api(app, dev_stack)
        yield running
        await running.aclose()
