"""The one way every process (API, workers, CLI, tests) connects to Temporal: the
configured address and namespace, with pydantic payloads."""

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from models.settings import get_settings


async def connect(address: str | None = None, namespace: str | None = None) -> Client:
    settings = get_settings()
    return await Client.connect(
        address or settings.temporal_address,
        namespace=namespace or settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )
