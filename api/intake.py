"""Intake: turn a camera event into a case, joining an open case for the same truck.

A case's workflow id is `muck-truck-<plate>-<violation>-<window number>`. A sighting
first tries the previous window's case (still open and within the policy window of its
first sighting → it joins as evidence); otherwise update-with-start on its own window's
id joins or opens that case. The workflow's update validator decides "within the
window", so the rule is exact rather than the window grid's. The same event sent twice
(or a hundred times at once) has one update id, so Temporal applies it once.
"""

import hashlib
from datetime import UTC, datetime

from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from models import search_attributes as sa
from models import task_queues
from models.case import VIOLATION_ZH, CameraEvent, MuckTruckCaseInput, SightingReceipt
from models.policy import MuckTruckPolicy
from workflows.muck_truck import SCENARIO, MuckTruckCaseWorkflow

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _event_digest(event: CameraEvent) -> str:
    return hashlib.sha256(event.event_key.encode()).hexdigest()[:16]


def case_id_for(event: CameraEvent, policy: MuckTruckPolicy, *, window_offset: int = 0) -> str:
    alert = event.alert
    if alert is None or alert.violation is None or alert.plate is None:
        return f"{SCENARIO}-{event.camera_id}-{_event_digest(event)}"
    window = int((event.observed_at - EPOCH) / policy.dedup_window) + window_offset
    plate = alert.plate.replace("·", "")
    return f"{SCENARIO}-{plate}-{alert.violation.value}-{window}"


def summary_of(event: CameraEvent) -> str:
    alert = event.alert
    what = VIOLATION_ZH.get(alert.violation, "") if alert and alert.violation else "无告警"
    plate = alert.plate if alert and alert.plate else "无牌"
    return f"渣土车 {what} {plate} · camera {event.camera_id}"


async def submit_muck_truck_event(client: Client, event: CameraEvent, policy: MuckTruckPolicy) -> SightingReceipt:
    update_id = f"sighting-{_event_digest(event)}"
    if event.alert and event.alert.plate and event.alert.violation:
        previous = client.get_workflow_handle(case_id_for(event, policy, window_offset=-1))
        try:
            return await previous.execute_update(
                MuckTruckCaseWorkflow.add_sighting, event, id=update_id, result_type=SightingReceipt
            )
        except WorkflowUpdateFailedError:
            pass  # closed, or outside that case's window: this window's case takes it
        except RPCError as err:
            if err.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise
    own_window = case_id_for(event, policy)
    for case_id in (own_window, f"{own_window}-{_event_digest(event)[:8]}"):
        try:
            return await _update_with_start(client, case_id, event, policy, update_id)
        except (WorkflowUpdateFailedError, WorkflowAlreadyStartedError):
            continue  # this window's case is already closed: the sighting opens a new one
        except RPCError as err:
            if err.status is not RPCStatusCode.ALREADY_EXISTS:
                raise
    raise RuntimeError(f"no case could take sighting {event.event_key}")


async def _update_with_start(
    client: Client, case_id: str, event: CameraEvent, policy: MuckTruckPolicy, update_id: str
) -> SightingReceipt:
    start = WithStartWorkflowOperation(
        MuckTruckCaseWorkflow.run,
        MuckTruckCaseInput(first=event, policy=policy),
        id=case_id,
        task_queue=task_queues.WORKFLOWS,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=TypedSearchAttributes([SearchAttributePair(sa.SCENARIO, SCENARIO)]),
        static_summary=summary_of(event),
    )
    return await client.execute_update_with_start_workflow(
        MuckTruckCaseWorkflow.add_sighting, event, start_workflow_operation=start, id=update_id, result_type=SightingReceipt
    )
