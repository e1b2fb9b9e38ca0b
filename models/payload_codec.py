"""Encrypted Temporal payloads (AES-256-GCM), so personal data in case state — officers'
names, citizens' details in reports — is unreadable in the Temporal database and history.

Each encrypted payload names its key id, so keys can be rotated: new payloads use the
active key, old ones decode with any key still listed. The API's codec endpoint runs this
same codec for the Temporal UI, for authorised operators only.
"""

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
NONCE_BYTES = 12


class PayloadKeyError(ValueError):
    pass


class NotPayloadsError(ValueError):
    pass


async def transcode_json(codec: PayloadCodec, operation: Literal["decode", "encode"], body: Any) -> dict[str, Any]:
    """Temporal's remote-codec wire format (`{"payloads": [...]}` in protobuf JSON), for the
    API's `/codec` and the dev UI's decoder alike. Raises NotPayloadsError for a body that
    is not payloads, PayloadKeyError for one that will not decode."""
    try:
        payloads = ParseDict(body, Payloads())
    except (ParseError, TypeError, AttributeError) as err:
        raise NotPayloadsError(f"not Temporal payloads: {err}") from err
    run = codec.decode if operation == "decode" else codec.encode
    return MessageToDict(Payloads(payloads=await run(payloads.payloads)))


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        if active_key_id not in keys:
            raise PayloadKeyError(f"active payload key {active_key_id!r} is not among the configured keys")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise PayloadKeyError(f"payload key {key_id!r} must be 32 bytes (AES-256), not {len(key)}")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._active = active_key_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(payload) for payload in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self._active.encode()
        sealed = self._ciphers[self._active].encrypt(nonce, payload.SerializeToString(), key_id)
        return Payload(metadata={"encoding": ENCODING, "encryption-key-id": key_id}, data=nonce + sealed)

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # written before encryption was switched on
        key_id = payload.metadata.get("encryption-key-id", b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PayloadKeyError(f"payload was encrypted with key {key_id!r}, which is not configured")
        try:
            plain = cipher.decrypt(payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:], key_id.encode())
        except InvalidTag as err:
            raise PayloadKeyError(f"payload does not authenticate under key {key_id!r} (tampered or truncated)") from err
        return Payload.FromString(plain)
