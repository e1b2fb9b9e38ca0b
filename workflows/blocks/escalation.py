"""Escalate-to-tier: hand a decision to another tier's staff and hold for it.

Two shapes share this block: a decision that must come (manual triage: breach climbs the
ladder, the case waits) and one that may default (cross-district confirmation: after the
deadline the case auto-routes and says so).
"""

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.case import Role, Stage

from workflows.blocks.case_workflow import CaseWorkflow
from workflows.blocks.deadline import DeadlineSource, hold_stage, in_force, wait_until


async def escalate_to_tier(
    case: CaseWorkflow,
    *,
    stage: Stage,
    role: Role,
    unit_code: str,
    deadline: DeadlineSource,
    decided: Callable[[], bool],
    ask: str,
    may_default: bool,
) -> bool:
    """True if the tier decided in time; False means the caller applies its default."""
    if case.case.stage is not stage:
        case.enter(stage, note=f"{role.value} {unit_code}")
    await case.notify(role, unit_code, f"decision_{stage.value}", f"{case.describe()} — {ask}")
    if may_default:
        return await wait_until(decided, in_force(deadline).within)

    async def breach() -> None:
        case.breach(stage.value)

    async def rung(step) -> None:
        await case.supervise(step, stage.value)

    return await hold_stage(decided, deadline, on_breach=breach, on_rung=rung)
