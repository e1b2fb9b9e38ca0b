"""Liveness for load balancers and `onething dev`: both dependencies answer."""

from fastapi import APIRouter, Response, status
from sqlalchemy import text

from api.auth import PUBLIC
from api.deps import EngineDep, TemporalDep
from api.schemas import Health

router = APIRouter(tags=["ops"])


@router.get("/healthz", response_model=Health, openapi_extra=PUBLIC)
async def healthz(client: TemporalDep, engine: EngineDep, response: Response) -> Health:
    try:
        await client.service_client.check_health()
        temporal = "ok"
    except Exception as err:  # noqa: BLE001  (any failure is "not healthy", reported)
        temporal = f"unavailable: {err}"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as err:  # noqa: BLE001
        database = f"unavailable: {err}"
    healthy = temporal == database == "ok"
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(status="ok" if healthy else "degraded", temporal=temporal, database=database)
