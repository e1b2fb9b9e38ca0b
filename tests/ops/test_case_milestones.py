"""A real case keeps its milestones in the store as it moves (time-skipping Temporal), and
a late officer shows up in the SLA figures as a late response."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from models.case import AcceptCommand, Actor, DisposalCommand, DisposalReport, Role, Stage, VerifyCommand
from models.sla import Resolution, figures
from models.store.milestones import CaseMilestoneRow, milestones_in
from tests.casebook import FAR_OFFICER, JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN
from tests.workflows.conftest import wait_for
from workflows.muck_truck import MuckTruckCaseWorkflow

DISTRICT = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)


def officer(officer_id: str) -> Actor:
    return Actor(role=Role.officer, id=officer_id, unit_code=XIEJIAWAN)


def stored(stack, case_id: str) -> CaseMilestoneRow | None:
    with Session(stack.engine) as session:
        return session.get(CaseMilestoneRow, case_id)


async def until_stored(stack, case_id: str, predicate) -> CaseMilestoneRow:
    for _ in range(200):
        row = stored(stack, case_id)
        if row is not None and predicate(row):
            return row
        await asyncio.sleep(0.05)
    raise AssertionError(f"milestones never matched; last {stored(stack, case_id)}")


async def close(handle, actor: Actor) -> None:
    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=actor))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    report = DisposalReport(outcome="已处置")
    await handle.execute_update(MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=actor, report=report))
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=DISTRICT))
    await handle.result()


async def test_milestones_follow_the_case_to_closure(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    row = await until_stored(stack, status.case_id, lambda r: r.assigned_at is not None)
    assert (row.district_code, row.street_code, row.resolution) == (JIULONGPO, XIEJIAWAN, None)
    assert row.received_at == status.opened_at and row.response_due == status.response_due

    await close(handle, officer(NEAR_OFFICER))
    row = stored(stack, status.case_id)  # stored before the workflow completed
    assert row.resolution == Resolution.closed
    assert row.received_at <= row.assigned_at <= row.responded_at <= row.disposed_at <= row.resolved_at
    assert row.disposal_due == row.responded_at + timedelta(days=7) and row.breaches == []


async def test_a_late_response_counts_against_the_street(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    await stack.env.sleep(timedelta(minutes=31))
    await wait_for(handle, lambda s: "response" in s.breaches and s.officer.officer_id == FAR_OFFICER)
    await close(handle, officer(FAR_OFFICER))
    row = stored(stack, status.case_id)
    assert row.breaches == ["response"] and row.responded_at > row.response_due
    with Session(stack.engine) as session:
        cases = milestones_in(session, since=None, until=None, street_code=XIEJIAWAN)
    mine = [case for case in cases if case.case_id == status.case_id]
    report = figures(mine, datetime.now(UTC) + timedelta(days=30))
    assert (report.closed, report.response.late, report.response.rate, report.disposal.rate) == (1, 1, 0.0, 1.0)
