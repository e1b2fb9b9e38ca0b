"""The engine's floor: a minimal workflow making the same server round trips as a
muck-truck case from intake to "officer told", with activities that do nothing.

Ours: probe the previous window's case (update → not found), update-with-start, detect on
the vision queue, permit lookup on the district queue, officer choice as a local
activity, the officer's notification on the street queue, then a response timer. The
floor does exactly that with empty activities (the last one posts the same webhook our
notifier does), on worker processes of its own against the same dev server, from the
bench process directly (no HTTP API, no store, no payload encryption). The ratio of our
latency to this is our overhead.

`python -m bench.engine_floor TIER` runs one floor worker process.
"""

import asyncio
import compileall
import functools
import os
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    import httpx

VISION, DISTRICT, STREET = "floor-vision", "floor-district", "floor-street"
TIERS = (VISION, DISTRICT, STREET)
WEBHOOK_ENV = "ONETHING_NOTIFY_WEBHOOK_URL"


@activity.defn
def floor_step(step: str) -> str:
    return step


@functools.cache
def _http() -> httpx.Client:
    """Pooled, as our webhook notifier's is; made on first use, never in the workflow sandbox."""
    return httpx.Client(timeout=5)


@activity.defn
def floor_notify(case_id: str) -> None:
    _http().post(os.environ[WEBHOOK_ENV], json={"case_id": case_id, "kind": "assigned"}).raise_for_status()


@workflow.defn(name="EngineFloor")
class FloorWorkflow:
    def __init__(self) -> None:
        self.accepted = False

    @workflow.run
    async def run(self, case_id: str) -> None:
        timeout = timedelta(seconds=30)
        await workflow.execute_activity(floor_step, "detect", task_queue=VISION, start_to_close_timeout=timeout)
        await workflow.execute_activity(floor_step, "triage", task_queue=DISTRICT, start_to_close_timeout=timeout)
        await workflow.execute_local_activity(floor_step, "choose", start_to_close_timeout=timeout)
        await workflow.execute_activity(floor_notify, case_id, task_queue=STREET, start_to_close_timeout=timeout)
        await workflow.wait_condition(lambda: self.accepted, timeout=timedelta(minutes=30))

    @workflow.update
    def add_sighting(self, event_key: str) -> str:
        return event_key


async def submit_floor(client: Client, case_id: str) -> None:
    """The floor's intake: the same probe and update-with-start as api/intake.py."""
    try:
        await client.get_workflow_handle(f"{case_id}-previous").execute_update(FloorWorkflow.add_sighting, "probe")
    except (RPCError, WorkflowUpdateFailedError):
        pass
    start = WithStartWorkflowOperation(
        FloorWorkflow.run, case_id, id=case_id, task_queue=DISTRICT, id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING
    )
    await client.execute_update_with_start_workflow(FloorWorkflow.add_sighting, "first", start_workflow_operation=start)


async def serve(address: str, tier: str) -> None:
    compileall.compile_file(__file__, quiet=2)  # the sandbox loads bytecode, as our workers' does
    client = await Client.connect(address)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    worker = Worker(
        client,
        task_queue=tier,
        workflows=[FloorWorkflow] if tier == DISTRICT else [],
        activities=[floor_step, floor_notify],
        activity_executor=ThreadPoolExecutor(max_workers=16),
    )
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    from bench import engine_floor  # the workflow's module is then bench.engine_floor, not __main__, as ours is

    asyncio.run(engine_floor.serve(os.environ["TEMPORAL_ADDRESS"], sys.argv[1]))
