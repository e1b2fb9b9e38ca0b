"""Closure: the outcome flows back to every tier's ledger, each written by that tier's
own workers on its own task queue (street, district, city), in parallel and idempotently.
"""

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.ledger import LedgerActivities
    from models.case import Tier
    from models.steps import LedgerWrite

from workflows.blocks.case_workflow import ACTIVITY_RETRY, ACTIVITY_TIMEOUT, CaseWorkflow


async def write_outcome(case: CaseWorkflow, outcome: str, units: dict[Tier, str]) -> None:
    status = case.case
    violation, plate, facts = status.ledger_facts()
    details = {"stage": status.stage.value, "breaches": ",".join(status.breaches)}
    if status.officer:
        details["officer"] = status.officer.officer_id
    details.update(facts)
    writes = [
        LedgerWrite(
            case_id=status.case_id,
            workflow_id=workflow.info().workflow_id,
            scenario=status.scenario,
            tier=tier,
            unit_code=unit,
            violation=violation,
            plate=plate,
            outcome=outcome,
            opened_at=status.opened_at,
            closed_at=workflow.now(),
            details=details,
        )
        for tier, unit in units.items()
    ]
    await asyncio.gather(
        *(
            workflow.execute_activity_method(
                LedgerActivities.record_outcome,
                write,
                task_queue=write.tier.value,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=ACTIVITY_RETRY,
                summary=f"ledger {write.tier.value} {write.unit_code}",
            )
            for write in writes
        )
    )
    status.outcome = outcome
    case.record("outcome written", note=", ".join(f"{w.tier.value}:{w.unit_code}" for w in writes))
