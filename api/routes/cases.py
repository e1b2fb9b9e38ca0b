"""Cases: status (a workflow query), human actions (workflow updates) and the list
(Temporal visibility over the search attributes the workflows keep current)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from temporalio.client import Client

from api import access
from api.auth import REFUSED, CallerDep
from api.deps import TemporalDep
from api.schemas import Action, CaseList, CaseSummary, Problem
from api.workflow_calls import command_from, query_status, update
from models import search_attributes as sa
from models.case import (
    AcceptCommand,
    CaseStatus,
    Command,
    ConfirmCrossDistrictCommand,
    DisposalCommand,
    ReturnCommand,
    Stage,
    TransferCommand,
    TriageCommand,
    VerifyCommand,
)
from workflows.blocks.authority import Refused

router = APIRouter(prefix="/v1/cases", tags=["cases"])

COMMANDS: dict[Action, type[Command]] = {
    Action.accept: AcceptCommand,
    Action.report_disposal: DisposalCommand,
    Action.verify: VerifyCommand,
    Action.return_case: ReturnCommand,
    Action.transfer: TransferCommand,
    Action.confirm_cross_district: ConfirmCrossDistrictCommand,
    Action.triage: TriageCommand,
}
NOT_FOUND = {404: {"model": Problem}, **REFUSED}


@router.get("/{case_id}", response_model=CaseStatus, responses=NOT_FOUND, summary="A case's live status")
async def get_case(case_id: str, client: TemporalDep, caller: CallerDep) -> CaseStatus:
    case = await _status(client, case_id)
    if reason := access.case_refusal(caller.principal, case):
        raise caller.deny(reason)
    return case


@router.post(
    "/{case_id}/actions/{action}",
    response_model=CaseStatus,
    responses={**NOT_FOUND, 409: {"model": Problem}, 422: {"model": Problem}},
    summary="A human step on a case (accept, report_disposal, verify, return_case, transfer, ...)",
)
async def act_on_case(
    case_id: str,
    action: Action,
    client: TemporalDep,
    caller: CallerDep,
    body: Annotated[
        dict[str, Any],
        Body(description="the command for the action, without `actor` (the bearer token says who acts)"),
    ],
) -> CaseStatus:
    """Checked in this order: the case exists (404), the caller's jurisdiction and role
    (403), the body (422), then the workflow's own validator against the case's state (409)."""
    if reason := access.action_refusal(caller.principal, action, await _status(client, case_id)):
        raise caller.deny(reason)
    command = command_from(COMMANDS[action], body, caller.principal)
    return await update(client.get_workflow_handle(case_id), action.value, command, CaseStatus)


@router.get(
    "",
    response_model=CaseList,
    responses=REFUSED,
    summary="Cases by district, street, stage, breach (Temporal visibility), within the caller's scope",
)
async def list_cases(
    client: TemporalDep,
    caller: CallerDep,
    district: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    street: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    stage: Stage | None = None,
    breached: bool | None = None,
    scenario: Annotated[str | None, Query(pattern=r"^[a-z][a-z\-]{0,40}$")] = None,
    officer: Annotated[str | None, Query(pattern=r"^[\w\-]{1,64}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CaseList:
    filters = {"district": district, "street": street, "officer": officer}
    try:
        scope = access.list_scope(caller.principal)
    except Refused as refusal:
        raise caller.deny(str(refusal)) from refusal
    for name, value in scope.items():
        if filters[name] not in (None, value):
            raise caller.deny(f"{caller.principal.role.value} {caller.principal.sub} may list {name} {value} only")
        filters[name] = value
    query = visibility_query(**filters, stage=stage, breached=breached, scenario=scenario)
    return CaseList(cases=await _list(client, query, limit), query=query)


def visibility_query(**filters: Any) -> str:
    """Build the visibility filter; inputs are pattern-checked above, so quoting is safe.

    No ORDER BY: the SQLite visibility store cannot sort, and every store lists newest first.
    """
    clauses = ["OneThingScenario IS NOT NULL"] if not filters.get("scenario") else []
    columns = {
        "district": sa.DISTRICT,
        "street": sa.STREET,
        "stage": sa.STAGE,
        "scenario": sa.SCENARIO,
        "officer": sa.OFFICER,
    }
    for name, key in columns.items():
        if (value := filters.get(name)) is not None:
            clauses.append(f"{key.name} = '{value}'")
    if (breached := filters.get("breached")) is not None:
        clauses.append(f"{sa.BREACHED.name} = {'true' if breached else 'false'}")
    return " AND ".join(clauses)


async def _list(client: Client, query: str, limit: int) -> list[CaseSummary]:
    cases = []
    async for execution in client.list_workflows(query, limit=limit):
        attrs = execution.typed_search_attributes
        stage = attrs.get(sa.STAGE)
        cases.append(
            CaseSummary(
                case_id=execution.id,
                scenario=attrs.get(sa.SCENARIO),
                stage=Stage(stage) if stage else None,
                tier=attrs.get(sa.TIER),
                district=attrs.get(sa.DISTRICT),
                street=attrs.get(sa.STREET),
                officer=attrs.get(sa.OFFICER),
                plate=attrs.get(sa.PLATE),
                breached=bool(attrs.get(sa.BREACHED)),
                response_due=attrs.get(sa.RESPONSE_DUE),
                disposal_due=attrs.get(sa.DISPOSAL_DUE),
                started_at=execution.start_time,
                closed_at=execution.close_time,
                status=execution.status.name if execution.status else "UNKNOWN",
            )
        )
    return cases


async def _status(client: Client, case_id: str) -> CaseStatus:
    return await query_status(client.get_workflow_handle(case_id), CaseStatus)
