"""The one way every process (API, workers, CLI, tests) talks to Temporal: the configured
address and namespace, pydantic payloads, encrypted with the configured key."""

import base64
import dataclasses

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter

from models.payload_codec import EncryptionCodec
from models.secrets import load_or_create_secret
from models.settings import Settings, get_settings


def payload_codec(settings: Settings) -> EncryptionCodec:
    active = (
        base64.b64decode(settings.payload_key.get_secret_value())
        if settings.payload_key
        else load_or_create_secret(settings.home / "secrets" / "payload.key")
    )
    keys = {key_id: base64.b64decode(key.get_secret_value()) for key_id, key in settings.payload_old_keys.items()}
    keys[settings.payload_key_id] = active
    return EncryptionCodec(keys, settings.payload_key_id)


def data_converter(settings: Settings | None = None) -> DataConverter:
    return dataclasses.replace(pydantic_data_converter, payload_codec=payload_codec(settings or get_settings()))


async def connect(address: str | None = None, namespace: str | None = None, settings: Settings | None = None) -> Client:
    settings = settings or get_settings()
    return await Client.connect(
        address or settings.temporal_address,
        namespace=namespace or settings.temporal_namespace,
        data_converter=data_converter(settings),
    )
