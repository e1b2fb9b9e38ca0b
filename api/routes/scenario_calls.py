"""What the scenario routes share: who may see a case by its place, and calling a
workflow's query or update with Temporal's answers mapped to HTTP as `cases` maps them."""

from typing import Any

from fastapi import HTTPException, status
from pydantic import BaseModel, ValidationError
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from api.auth import Caller
from api.routes.cases import _is_unknown_reference, _rpc_problem, _validation_reason
from models.auth import Principal
from models.case import CaseCore, Role


def place_refusal(principal: Principal, case: CaseCore) -> str | None:
    """The city sees every case; a district or street the cases at its place; an officer their own."""
    where = case.where
    if principal.role is Role.city:
        return None
    if principal.role is Role.district and where and principal.unit == where.district_code:
        return None
    if principal.role is Role.street and where and principal.unit == where.street_code:
        return None
    if principal.role is Role.officer and case.officer and case.officer.officer_id == principal.sub:
        return None
    return f"{principal.role.value} {principal.unit or principal.sub} has no jurisdiction over case {case.case_id}"


async def query(handle: WorkflowHandle, result_type: type) -> Any:
    try:
        return await handle.query("status", result_type=result_type)
    except RPCError as err:
        raise _rpc_problem(err, handle.id) from err
    except ValueError as err:  # the id names a case of another scenario
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{handle.id} is not a {result_type.__name__} case") from err


async def update(handle: WorkflowHandle, name: str, command: BaseModel, result_type: type) -> Any:
    """A validator's refusal is 409 with its reason; an unknown reference 422."""
    try:
        return await handle.execute_update(name, command, result_type=result_type)
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        reason = cause.message if isinstance(cause, ApplicationError) else str(cause)
        code = status.HTTP_422_UNPROCESSABLE_CONTENT if _is_unknown_reference(cause) else status.HTTP_409_CONFLICT
        raise HTTPException(code, reason) from err
    except RPCError as err:
        raise _rpc_problem(err, handle.id) from err


async def act(
    client: Client, workflow_id: str, action: str, command_type: type[BaseModel], body: dict[str, Any], caller: Caller, result_type: type
) -> Any:
    """A human step: the body plus the caller as actor (the token says who acts), then the update."""
    try:
        command = command_type.model_validate({**body, "actor": caller.principal.actor()})
    except ValidationError as err:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, _validation_reason(err)) from err
    return await update(client.get_workflow_handle(workflow_id), action, command, result_type)
