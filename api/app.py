"""The OneThing HTTP API: scenario triggers, case status and actions, health; every call
but health and the docs authenticated (api/auth.py).

The app holds one Temporal client and one database engine for its lifetime; routes get
them through dependencies, so tests can run the same app against their own servers.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.auth import authenticate
from api.limits import BodySizeLimit
from api.prometheus import install_metrics
from api.routes import cases, codec, crowd, events, health, heavy_rain, metrics
from models.auth import signing_key
from models.crowd import CrowdPolicy
from models.heavy_rain import HeavyRainPolicy
from models.policy import MuckTruckPolicy
from models.settings import Settings, get_settings
from models.store.engine import make_engine
from models.temporal_client import connect


def create_app(settings: Settings | None = None, policy: MuckTruckPolicy | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.jwt_key = signing_key(settings)
        app.state.muck_truck_policy = policy or MuckTruckPolicy()
        app.state.heavy_rain_policy = HeavyRainPolicy()
        app.state.crowd_policy = CrowdPolicy()
        app.state.engine = make_engine(settings.resolved_database_url)
        app.state.temporal = await connect(settings=settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="OneThing",
        summary="City one-things (一件事) as durable Temporal workflows",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(authenticate)],  # every route, unless it is marked PUBLIC
    )
    app.add_middleware(BodySizeLimit)
    app.include_router(events.router)
    app.include_router(cases.router)
    app.include_router(heavy_rain.router)
    app.include_router(crowd.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(codec.router)
    install_metrics(app)
    return app
