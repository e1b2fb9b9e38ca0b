"""Opening a warning on the test stack and watching it and its patrols."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from temporalio.client import WorkflowHandle

from models import task_queues
from models.case import AcceptCommand, Actor, Role
from models.heavy_rain import (
    HeavyRainPolicy,
    PatrolReport,
    PatrolReportCommand,
    PatrolStatus,
    RainWarning,
    WarningArea,
    WarningInput,
    WarningLevel,
    WarningStatus,
)
from tests.scenarios.scenebook import risk_point_id
from workflows.heavy_rain import HeavyRainWarningWorkflow
from workflows.risk_point import RiskPointPatrolWorkflow


async def issue(
    stack, area: WarningArea, level: WarningLevel, *, points: int, policy: HeavyRainPolicy | None = None, track: bool = True
) -> WorkflowHandle:
    """Start a warning; with `track`, its possible patrols are terminated after the test too."""
    warning_id = f"T-{uuid.uuid4().hex[:10]}"
    handle = await stack.client.start_workflow(
        HeavyRainWarningWorkflow.run,
        WarningInput(
            warning=RainWarning(warning_id=warning_id, area=area, level=level, issued_at=datetime.now(UTC)),
            policy=policy or HeavyRainPolicy(),
        ),
        id=f"heavy-rain-{warning_id}",
        task_queue=task_queues.DISTRICT,
    )
    stack._opened.append(handle)
    if track:
        stack._opened.extend(patrol(stack, handle, n) for n in range(1, points + 1))
    return handle


def patrol(stack, warning: WorkflowHandle, n: int) -> WorkflowHandle:
    return stack.client.get_workflow_handle_for(RiskPointPatrolWorkflow.run, f"{warning.id}-{risk_point_id(n)}")


async def until(handle: WorkflowHandle, query: Any, predicate: Callable[[Any], bool], timeout: float = 20.0):
    """Poll a status query until `predicate` holds (wall-clock timeout)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            status = await handle.query(query)
        except Exception:  # noqa: BLE001  (not started yet)
            status = None
        if status is not None and predicate(status):
            return status
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{handle.id} never reached the expected state; last: {status!r}")
        await asyncio.sleep(0.05)


async def patrol_status(handle: WorkflowHandle, predicate: Callable[[PatrolStatus], bool]) -> PatrolStatus:
    return await until(handle, RiskPointPatrolWorkflow.status, predicate)


async def warning_status(
    handle: WorkflowHandle, predicate: Callable[[WarningStatus], bool], timeout: float = 20.0
) -> WarningStatus:
    return await until(handle, HeavyRainWarningWorkflow.status, predicate, timeout)


def inspector(officer_id: str) -> Actor:
    return Actor(role=Role.officer, id=officer_id)


async def accept(handle: WorkflowHandle, officer_id: str) -> PatrolStatus:
    return await handle.execute_update(RiskPointPatrolWorkflow.accept, AcceptCommand(actor=inspector(officer_id)))


async def report(handle: WorkflowHandle, officer_id: str, finding: str, **report: Any) -> PatrolStatus:
    command = PatrolReportCommand(actor=inspector(officer_id), report=PatrolReport(finding=finding, **report))
    return await handle.execute_update(RiskPointPatrolWorkflow.report, command)
