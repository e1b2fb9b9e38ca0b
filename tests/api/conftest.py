"""The app under test, through httpx, against the real dev server with every tier's worker;
each caller is a client carrying its own token, signed with the stack's key."""

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from fastapi import FastAPI

from api.app import create_app
from models.auth import bearer, signing_key
from models.case import Role
from tests.casebook import CAMERA
from tests.workflows.conftest import Stack, case_settings, dev_env, dev_stack  # noqa: F401  (shared fixtures)


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
