"""Remote payload codec for the Temporal Web UI and CLI (`temporal ... --codec-endpoint`).

Case payloads are encrypted at rest (models/payload_codec.py); operators of the city and
district centres decode them here with their token, everyone else is refused (audited).
The wire format is Temporal's: `{"payloads": [{"metadata": {...}, "data": "..."}]}` in
protobuf JSON.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Request, status

from api.auth import REFUSED, CallerDep
from models.case import Role
from models.payload_codec import NotPayloadsError, transcode_json

router = APIRouter(prefix="/codec", tags=["ops"])
OPERATORS = {Role.city, Role.district}
PayloadsBody = Annotated[dict[str, Any], Body(description="Temporal Payloads in protobuf JSON")]


@router.post("/decode", responses=REFUSED, summary="Decrypt payloads for an authorised operator")
async def decode(body: PayloadsBody, request: Request, caller: CallerDep) -> dict[str, Any]:
    return await _transcode("decode", body, request, caller)


@router.post("/encode", responses=REFUSED, summary="Encrypt payloads (for the UI's inputs, e.g. signals)")
async def encode(body: PayloadsBody, request: Request, caller: CallerDep) -> dict[str, Any]:
    return await _transcode("encode", body, request, caller)


async def _transcode(operation: Literal["decode", "encode"], body: dict[str, Any], request: Request, caller: CallerDep):
    codec = _codec_for(request, caller)
    try:
        return await transcode_json(codec, operation, body)
    except NotPayloadsError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(err)) from err
    except ValueError as err:  # an unknown key id or a tampered payload
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"cannot {operation}: {err}") from err


def _codec_for(request: Request, caller: CallerDep):
    if caller.principal.role not in OPERATORS:
        raise caller.deny(f"only city and district operators may use the payload codec, not a {caller.principal.role.value}")
    return request.app.state.temporal.data_converter.payload_codec
