"""Time-skipping Temporal for the case workflows: durable timers of 30 minutes and 7 days
fire in milliseconds of wall time, against the real Java test server and a real store."""

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from models import task_queues
from models.case import CameraEvent, CaseStatus, EdgeAlert, MuckTruckCaseInput, Violation
from models.policy import MuckTruckPolicy
from models.settings import Settings
from models.store.engine import make_engine
from models.store.migrate import upgrade
from models.temporal_client import data_converter
from tests.casebook import CAMERA, load_casebook
from workers.dev_config import DevStackConfig
from workers.frames import write_frame
from workers.search_attributes import register_search_attributes
from workers.tiers import build_workers
from workflows.muck_truck import MuckTruckCaseWorkflow

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"
DEV_SERVER = Path(sys.executable).parent / "temporal"
HISTORIES = Path(__file__).resolve().parents[1] / "histories"
DEV_CONFIG = Path(__file__).resolve().parents[2] / "temporal-dev.yml"


@pytest_asyncio.fixture
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping server per test (it starts in well under a second): a case
    one test leaves waiting can never hold up another test's skipped time."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=data_converter(Settings())
    )
    await register_search_attributes(env.client)
    async with env:
        yield env


@pytest_asyncio.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server (the one `onething dev` runs), for tests of server
    semantics the time-skipping server only approximates (update-with-start, id reuse),
    tuned as temporal-dev.yml tunes it."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(DEV_SERVER),
        data_converter=data_converter(Settings()),
        ui=False,
        dev_server_extra_args=DevStackConfig.load(DEV_CONFIG).temporal.dynamic_config_args(),
    )
    async with env:
        await register_search_attributes(env.client)
        yield env


@pytest.fixture
def case_settings(tmp_path: Path, create_database) -> Settings:
    url = create_database("sqlite")
    upgrade(url)
    settings = Settings(home=tmp_path / "home", database_url=url)
    load_casebook(make_engine(url))
    return settings


@pytest_asyncio.fixture
async def stack(ts_env: WorkflowEnvironment, case_settings: Settings, request) -> AsyncIterator["Stack"]:
    async with running_stack(ts_env, case_settings) as stack:
        yield stack
        await record_histories(stack, request.node.name)


@pytest_asyncio.fixture
async def dev_stack(dev_env: WorkflowEnvironment, case_settings: Settings, request) -> AsyncIterator["Stack"]:
    async with running_stack(dev_env, case_settings) as stack:
        yield stack
        await record_histories(stack, request.node.name)


async def record_histories(stack: "Stack", test_name: str) -> None:
    """With ONETHING_RECORD_HISTORIES=1, keep every case history a test produced as a
    replay fixture (tests/histories/): CI replays them, so a non-deterministic change
    to workflow code fails the build."""
    if not os.environ.get("ONETHING_RECORD_HISTORIES"):
        return
    HISTORIES.mkdir(parents=True, exist_ok=True)
    for n, handle in enumerate(stack._opened):
        try:
            history = await handle.fetch_history()
        except RPCError as err:
            if err.status is RPCStatusCode.NOT_FOUND:  # a handle the test watched that never started
                continue
            raise
        recorded = {"workflow_id": handle.id, "history": json.loads(history.to_json())}
        (HISTORIES / f"{test_name}-{n}.json").write_text(json.dumps(recorded, ensure_ascii=False), encoding="utf-8")


@asynccontextmanager
async def running_stack(env: WorkflowEnvironment, settings: Settings) -> AsyncIterator["Stack"]:
    """Workers for every tier on `env`, against the test's own store."""
    engine = make_engine(settings.resolved_database_url)
    async with AsyncExitStack() as workers:
        for worker in build_workers(env.client, task_queues.ALL, engine, settings):
            await workers.enter_async_context(worker)
        stack = Stack(env.client, settings, engine, env)
        yield stack
        await stack.terminate_open_cases()
    engine.dispose()


class Stack:
    """The running test stack plus helpers to open a case and watch it."""

    def __init__(self, client: Client, settings: Settings, engine, env: WorkflowEnvironment | None = None) -> None:
        self.env = env
        self.client = client
        self.settings = settings
        self.engine = engine
        self._frames = 0
        self._opened: list[WorkflowHandle] = []

    def event(self, plate: str | None, violation: Violation | None = Violation.overloading, confidence=0.9) -> CameraEvent:
        self._frames += 1
        frame = write_frame(self.settings.home / "snapshots", f"frame-{self._frames}.png", seed=self._frames)
        return CameraEvent(
            camera_id=CAMERA,
            observed_at=datetime.now(UTC),
            snapshot_uri=str(frame),
            alert=EdgeAlert(violation=violation, plate=plate, confidence=confidence),
        )

    async def open_case(self, event: CameraEvent, policy: MuckTruckPolicy | None = None) -> WorkflowHandle:
        handle = await self.client.start_workflow(
            MuckTruckCaseWorkflow.run,
            MuckTruckCaseInput(first=event, policy=policy or MuckTruckPolicy()),
            id=f"test-{uuid.uuid4()}",
            task_queue=task_queues.WORKFLOWS,
        )
        self._opened.append(handle)
        return handle

    async def terminate_open_cases(self) -> None:
        """A test may leave a case waiting on a human; it must not leak into the next test."""
        for handle in self._opened:
            try:
                await handle.terminate("test finished")
            except RPCError as err:
                if err.status is not RPCStatusCode.NOT_FOUND:  # already completed
                    raise


async def wait_for(handle: WorkflowHandle, predicate: Callable[[CaseStatus], bool], timeout: float = 15.0) -> CaseStatus:
    """Poll the status query until `predicate` holds (wall-clock timeout, not workflow time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status = await handle.query(MuckTruckCaseWorkflow.status)
        if predicate(status):
            return status
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"case never reached the expected state; last: {status.stage} {status.timeline[-3:]}")
        await asyncio.sleep(0.05)
