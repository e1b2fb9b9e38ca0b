"""Calling a case workflow from a route, with Temporal's answers mapped to HTTP once for
every scenario: a validator's refusal is 409 with its reason, an unknown reference 422,
no such case 404, a closed case 409."""

from typing import Any

from fastapi import HTTPException, status
from pydantic import BaseModel, ValidationError
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from models.auth import Principal


def command_from(command_type: type[BaseModel], body: dict[str, Any], principal: Principal) -> Any:
    """The body plus the caller as actor: the token says who acts, never the body."""
    if "actor" in body:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "actor: comes from the bearer token; remove it from the body")
    try:
        return command_type.model_validate({**body, "actor": principal.actor()})
    except ValidationError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, validation_reason(err)) from err


async def query_status(handle: WorkflowHandle, result_type: type) -> Any:
    try:
        return await handle.query("status", result_type=result_type)
    except RPCError as err:
        raise rpc_problem(err, handle.id) from err
    except ValueError as err:  # the id names a case of another scenario
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{handle.id} is not a {result_type.__name__} case") from err


async def update(handle: WorkflowHandle, name: str, command: BaseModel, result_type: type) -> Any:
    try:
        return await handle.execute_update(name, command, result_type=result_type)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        reason = cause.message if isinstance(cause, ApplicationError) else str(cause)
        unknown = isinstance(cause, ApplicationError) and cause.type == "UnknownReference"
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT if unknown else status.HTTP_409_CONFLICT, reason) from err
    except RPCError as err:
        raise rpc_problem(err, handle.id) from err


def validation_reason(err: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in err.errors())


def rpc_problem(err: RPCError, case_id: str) -> HTTPException:
    if err.status is RPCStatusCode.NOT_FOUND:
        if "completed" in err.message:
            return HTTPException(status.HTTP_409_CONFLICT, f"case {case_id} is already closed")
        return HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
    if err.status is RPCStatusCode.INVALID_ARGUMENT:
        return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, err.message)
    raise err
