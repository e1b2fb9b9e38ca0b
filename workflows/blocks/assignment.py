"""Assign-and-wait: pick an officer in milliseconds, tell them, hold for acceptance.

The choice is a local activity (it reads the roster and workloads from the store and
answers in milliseconds); the response deadline and its ladder come from policy. The
`reassign` rung lives here because only this block knows how to pick the next officer.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.assignment import AssignmentActivities
    from models.case import OfficerChoice, Place, Role, Stage
    from models.policy import LadderAction, LadderStep
    from models.steps import AssignmentRelease, AssignmentRequest

from workflows.blocks.case_workflow import ACTIVITY_RETRY, CaseWorkflow
from workflows.blocks.deadline import DeadlineSource, hold_stage, in_force

LOCAL_TIMEOUT = timedelta(seconds=5)


async def assign_officer(
    case: CaseWorkflow, street: Place, *, exclude: list[str], skill: str | None = None
) -> OfficerChoice | None:
    """Choose the nearest on-duty officer of the street, balanced by open workload;
    with `skill`, officers who have it come first (anyone else only if none does)."""
    assert street.street_code, "assignment needs a street"
    choice = await workflow.execute_local_activity_method(
        AssignmentActivities.choose_officer,
        AssignmentRequest(
            step_key=case.next_step_key("assign"),
            case_id=case.case.case_id,
            street_code=street.street_code,
            near_lon=street.lon,
            near_lat=street.lat,
            at=workflow.now(),
            exclude_officer_ids=exclude,
            skill=skill,
        ),
        start_to_close_timeout=LOCAL_TIMEOUT,
        retry_policy=ACTIVITY_RETRY,
        summary=f"choose officer in {street.street_name or street.street_code}",
    )
    if choice is None:
        case.record("no officer available", note=f"street {street.street_code}")
        await case.notify(
            Role.district, street.district_code, "no_officer", f"{case.describe()} — no officer free; transfer it"
        )
        return None
    if case.case.officer:
        case.case.past_officers.append(case.case.officer.officer_id)
    case.case.officer = choice
    case.record(
        "officer assigned",
        note=f"{choice.officer_name} ({choice.officer_id}), {choice.distance_m:.0f} m, "
        f"{choice.open_cases} open, {'on duty' if choice.on_duty else 'called out off duty'}",
    )
    case.publish()
    await case.notify(Role.officer, choice.officer_id, "assigned", f"{case.describe()} — please respond")
    return choice


async def release_officer(case: CaseWorkflow, outcome: str) -> None:
    """Close the current officer's assignment so their workload count drops."""
    officer = case.case.officer
    if officer is None:
        return
    await workflow.execute_local_activity_method(
        AssignmentActivities.release,
        AssignmentRelease(case_id=case.case.case_id, officer_id=officer.officer_id, outcome=outcome),
        start_to_close_timeout=LOCAL_TIMEOUT,
        retry_policy=ACTIVITY_RETRY,
    )


async def assign_and_wait(
    case: CaseWorkflow,
    street: Place,
    deadline: DeadlineSource,
    *,
    accepted: Callable[[], bool],
    interrupted: Callable[[], bool],
    skill: str | None = None,
) -> bool:
    """Assign, then hold the response stage; True if accepted (or interrupted) on time."""
    case.enter(Stage.assigning, note=f"{street.district_name} {street.street_name or ''}".strip())
    await release_officer(case, "superseded")
    await assign_officer(case, street, exclude=case.case.past_officers, skill=skill)
    case.case.response_due = workflow.now() + in_force(deadline).within
    case.enter(Stage.awaiting_response)

    async def rung(step: LadderStep) -> None:
        if step.action is not LadderAction.reassign:
            await case.supervise(step, "response")
            return
        current = case.case.officer
        exclude = case.case.past_officers + ([current.officer_id] if current else [])
        await release_officer(case, "reassigned")
        if await assign_officer(case, street, exclude=exclude, skill=skill) is None and current:
            case.case.officer = current
            case.record("reassign found nobody else; kept the officer", note=current.officer_id)
        case.record("escalated: reassign", note="response")

    async def breach() -> None:
        case.breach("response")

    def tightened(due: datetime) -> None:
        case.case.response_due = due
        case.publish()

    return await hold_stage(
        lambda: accepted() or interrupted(), deadline, on_breach=breach, on_rung=rung, on_change=tightened
    )
