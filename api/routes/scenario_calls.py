"""What the scenario routes share: who may see a case by its place, and a human step as
an update (HTTP mapping in api/workflow_calls.py, shared with `cases`)."""

from typing import Any

from pydantic import BaseModel
from temporalio.client import Client

from api.auth import Caller
from api.workflow_calls import command_from, query_status, update
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


async def status_in_scope(client: Client, workflow_id: str, caller: Caller, result_type: type) -> Any:
    """A scenario case's status, for those whose place or assignment it is (403 otherwise)."""
    case = await query_status(client.get_workflow_handle(workflow_id), result_type)
    if reason := place_refusal(caller.principal, case):
        raise caller.deny(reason)
    return case


async def act(
    client: Client, workflow_id: str, action: str, command_type: type[BaseModel], body: dict[str, Any], caller: Caller, result_type: type
) -> Any:
    """A human step on a scenario case: the command (actor from the token), then the update."""
    command = command_from(command_type, body, caller.principal)
    return await update(client.get_workflow_handle(workflow_id), action, command, result_type)
