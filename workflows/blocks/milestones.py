"""Keep a case's milestones mirrored in the store without slowing the case down.

Stage changes happen in plain (synchronous) code, so the write is handed to a background
writer that sends the newest snapshots as one local activity and coalesces whatever
changed meanwhile. `settle()` waits for the last snapshot to be stored; the worker interceptor
below calls it after the scenario's run returns, so a closed case is never reported open
and no scenario has to remember to flush. Cases started before this existed replay
without writes (`workflow.patched`).
"""

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.worker import (
    ExecuteWorkflowInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

with workflow.unsafe.imports_passed_through():
    from activities.milestones import MilestoneActivities
    from models import sla
    from models.case import CaseCore, Stage

PATCH = "case-milestones"
WRITE_TIMEOUT = timedelta(seconds=10)


class MilestoneKeeper:
    """Milestones of the workflow's case(s): a scenario may run successive cases in one
    workflow, so unsaved snapshots are kept per case and written together."""

    def __init__(self, retry: RetryPolicy) -> None:
        self.retry = retry
        self.current: sla.CaseMilestones | None = None
        self._unsaved: dict[str, sla.CaseMilestones] = {}
        self._writer: asyncio.Task | None = None
        self._settling = False

    def update(self, status: CaseCore, entered: Stage | None, at: datetime) -> None:
        current = self.current if self.current and self.current.case_id == status.case_id else sla.received(status)
        if entered is not None:
            current = sla.reached(current, entered, at)
        current = sla.refreshed(current, status)
        if current is not self.current:
            self.current = self._unsaved[current.case_id] = current
        if self._writer is None and workflow.patched(PATCH):
            self._writer = asyncio.create_task(self._write())

    async def settle(self) -> None:
        if self._writer is None:
            return
        self._settling = True
        await workflow.wait_condition(lambda: not self._unsaved)
        self._writer.cancel()

    async def _write(self) -> None:
        while True:
            await workflow.wait_condition(self._due)
            batch = list(self._unsaved.values())
            await workflow.execute_local_activity_method(
                MilestoneActivities.record,
                batch,
                start_to_close_timeout=WRITE_TIMEOUT,
                retry_policy=self.retry,
                summary="milestones " + ", ".join(f"{m.case_id} v{m.version}" for m in batch),
            )
            for written in batch:
                if self._unsaved.get(written.case_id) is written:
                    del self._unsaved[written.case_id]


    def _due(self) -> bool:
        """Write once the report would count more than a receipt (assigned, breached,
        resolved) or the workflow is finishing: the steps before an officer is told (detect,
        triage, route) then hold no workflow task open for a store write. A case still
        waiting for its first officer is thus missing from `received` until then (at most
        the triage or city-confirmation deadline)."""
        return any(self._settling or milestones.counted for milestones in self._unsaved.values())


class SettleMilestonesInterceptor(Interceptor):
    """Worker interceptor: after a case workflow's run returns, its milestones are stored."""

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        return _SettleOnReturn


class _SettleOnReturn(WorkflowInboundInterceptor):
    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        result = await super().execute_workflow(input)
        # Duck-typed: the sandbox re-imports workflow modules, so the instance's keeper is
        # of the sandbox's own MilestoneKeeper class, never this module's.
        settle = getattr(getattr(workflow.instance(), "milestones", None), "settle", None)
        if settle is not None:
            await settle()
        return result
