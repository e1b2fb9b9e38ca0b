"""Killing a worker process mid-case and starting it again loses nothing and duplicates
no ledger row, notification or assignment.

Every tier's worker runs as its own OS process (`onething worker --tier T`), exactly as
deployed, against the session's real Temporal dev server and this test's own store. The
workers are killed with SIGKILL at the points where a crash hurts: vision before
detection, district (the workflow worker, which also runs officer choice as a local
activity) right after assignment and again while the district verifies, street and city
(notifications, ledger writes) between acceptance and disposal. The case must still
close, and the store must hold each write exactly once.

After a district crash the server still routes the case's next workflow task to the dead
worker's sticky queue until its schedule-to-start timeout (10 s) runs out, then hands it
to the restarted worker, which replays the history; each district crash costs that wait.
"""

import asyncio
import time
from contextlib import suppress

import pytest
from sqlmodel import Session, select
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError

from api.intake import submit_muck_truck_event
from models import task_queues
from models.case import AcceptCommand, Actor, DisposalCommand, DisposalReport, Role, Stage, VerifyCommand, Violation
from models.policy import MuckTruckPolicy
from models.store import Assignment, CaseLedgerEntry, EvidenceRecord, OutboxMessage
from models.store.engine import make_engine
from tests.casebook import JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN
from tests.workflows.conftest import Stack, wait_for
from tests.workflows.worker_processes import WorkerProcesses
from workflows.muck_truck import MuckTruckCaseWorkflow

OFFICER = Actor(role=Role.officer, id=NEAR_OFFICER, unit_code=XIEJIAWAN)
DISTRICT = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)
STEP_TIMEOUT = 30.0  # wall clock per step: room for one sticky-queue timeout and a restart


@pytest.mark.slow
async def test_killed_workers_lose_nothing_and_duplicate_nothing(dev_env, case_settings, tmp_path):
    engine = make_engine(case_settings.resolved_database_url)
    try:
        await _crash_through_a_case(dev_env, case_settings, engine, tmp_path)
    finally:
        engine.dispose()


async def _crash_through_a_case(dev_env, case_settings, engine, tmp_path) -> None:
    client = dev_env.client
    workers = WorkerProcesses(client, case_settings, tmp_path / "logs")
    handle: WorkflowHandle | None = None
    clock = _PhaseClock()
    try:
        await workers.start_and_wait(*task_queues.ALL)
        clock.mark("all four workers polling")

        # Vision dies before the case exists: the case opens, waits for detection, goes on.
        workers.kill(task_queues.VISION)
        event = Stack(dev_env.client, case_settings, engine, dev_env).event(PLATE_LOCAL, violation=Violation.uncovered)
        receipt = await submit_muck_truck_event(client, event, MuckTruckPolicy())
        handle = client.get_workflow_handle_for(MuckTruckCaseWorkflow.run, receipt.case_id)
        assert not receipt.joined_existing
        assert (await handle.query(MuckTruckCaseWorkflow.status)).stage is Stage.detecting
        clock.mark("case opened while vision is down")
        await workers.start_and_wait(task_queues.VISION)
        status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response, STEP_TIMEOUT)
        assert status.officer.officer_id == NEAR_OFFICER
        clock.mark("vision back; officer assigned")

        # District (the workflow, officer choice) dies right after the assignment.
        workers.kill(task_queues.DISTRICT)
        await workers.start_and_wait(task_queues.DISTRICT)
        clock.mark("district restarted")
        await asyncio.wait_for(
            handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=OFFICER)), STEP_TIMEOUT
        )
        await wait_for(handle, lambda s: s.stage is Stage.disposing, STEP_TIMEOUT)
        clock.mark("accepted")

        # Street and city (outbox, ledgers) die while the officer disposes.
        workers.kill(task_queues.STREET)
        workers.kill(task_queues.CITY)
        await workers.start_and_wait(task_queues.STREET, task_queues.CITY)
        clock.mark("street and city restarted")
        report = DisposalReport(outcome="责令覆盖并罚款", penalty_ref="渝九城罚〔2026〕042")
        await asyncio.wait_for(
            handle.execute_update(
                MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=OFFICER, report=report)
            ),
            STEP_TIMEOUT,
        )
        await wait_for(
            handle,
            lambda s: s.stage is Stage.verifying and s.timeline[-1].action == "notified district",
            STEP_TIMEOUT,
        )
        clock.mark("disposal reported; district asked to verify")

        # District dies again while the case waits for verification.
        workers.kill(task_queues.DISTRICT)
        await workers.start_and_wait(task_queues.DISTRICT)
        clock.mark("district restarted")
        await asyncio.wait_for(
            handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=DISTRICT)), STEP_TIMEOUT
        )
        final = await asyncio.wait_for(handle.result(), STEP_TIMEOUT)
        clock.mark("verified and closed")
    except BaseException:
        print(clock, workers.output(), sep="\n")
        raise
    finally:
        workers.stop_all()
        if handle is not None:
            await _terminate_if_running(handle)

    assert final.stage is Stage.closed and final.outcome == report.outcome
    assert [entry.action for entry in final.timeline].count("officer assigned") == 1
    case_id = final.case_id
    with Session(engine) as session:
        ledger = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == case_id)).all()
        assert sorted((row.tier, row.unit_code) for row in ledger) == [
            ("city", "CITY"),
            ("district", JIULONGPO),
            ("street", XIEJIAWAN),
        ]
        assignments = session.exec(select(Assignment).where(Assignment.case_id == case_id)).all()
        assert [(a.officer_id, a.status, a.outcome) for a in assignments] == [(NEAR_OFFICER, "closed", "closed")]
        outbox = session.exec(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all()
        keys = [message.key for message in outbox]
        assert len(keys) == len(set(keys))
        assert [m.kind for m in outbox if m.recipient_id == NEAR_OFFICER] == ["assigned"]
        # A retried or replayed send under a new step key would show up as a second row here.
        assert sorted((m.kind, m.recipient_id) for m in outbox) == [
            ("assigned", NEAR_OFFICER),
            ("decision_verifying", JIULONGPO),
        ]
        assert all(message.delivered_at is not None for message in outbox)
        evidence = session.exec(select(EvidenceRecord).where(EvidenceRecord.case_id == case_id)).all()
        assert [record.sha256 for record in evidence] == [final.evidence[0].sha256]
        assert len(final.evidence) == 1


class _PhaseClock:
    """Wall time of each phase, printed when the test fails."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.marks: list[tuple[float, str]] = []

    def mark(self, label: str) -> None:
        self.marks.append((time.monotonic() - self.start, label))

    def __str__(self) -> str:
        return "\n".join(f"{at:6.2f}s  {label}" for at, label in self.marks)


async def _terminate_if_running(handle: WorkflowHandle) -> None:
    """No case of this test may outlive it: the next test's workers share the queues."""
    with suppress(RPCError):
        description = await handle.describe()
        if description.status is WorkflowExecutionStatus.RUNNING:
            await handle.terminate("worker crash test finished")
