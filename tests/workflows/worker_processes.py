"""Tier workers as real OS processes (`onething worker --tier T`), for crash tests.

Each worker is started exactly as an operator would start it, against the test's own
store and the session's Temporal dev server; it can be killed with SIGKILL (no drain, no
graceful shutdown: a crash) and started again. A worker is "up" once the server lists a
poller with its process id on every task-queue type it serves.
"""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from models import task_queues
from models.settings import Settings

ONETHING = Path(sys.executable).parent / "onething"


class WorkerProcesses:
    """One subprocess per tier; logs (every incarnation) under `logs`."""

    def __init__(self, client: Client, settings: Settings, logs: Path) -> None:
        self.client = client
        self.settings = settings
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)
        self.running: dict[str, subprocess.Popen] = {}
        self._started: list[tuple[str, Path]] = []

    def env(self) -> dict[str, str]:
        config = self.client.service_client.config
        return {
            **os.environ,
            "ONETHING_HOME": str(self.settings.home.resolve()),
            "DATABASE_URL": self.settings.resolved_database_url,
            "TEMPORAL_ADDRESS": config.target_host,
            "TEMPORAL_NAMESPACE": self.client.namespace,
        }

    def start(self, tier: str) -> subprocess.Popen:
        assert tier not in self.running, f"{tier} worker is already running"
        log = self.logs / f"worker-{tier}-{len(self._started)}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [str(ONETHING), "worker", "--tier", tier], stdout=out, stderr=subprocess.STDOUT, env=self.env()
            )
        self.running[tier] = process
        self._started.append((tier, log))
        return process

    def kill(self, tier: str) -> None:
        """SIGKILL: the process dies mid-whatever, with no chance to drain or clean up."""
        process = self.running.pop(tier)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        """Kill every running worker and reap it; nothing may poll after the test."""
        processes = list(self.running.values())
        self.running.clear()
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
        for process in processes:
            process.wait(timeout=10)

    async def start_and_wait(self, *tiers: str, timeout: float = 20.0) -> None:
        for tier in tiers:
            self.start(tier)
        await asyncio.gather(*(self.wait_polling(tier, timeout) for tier in tiers))

    async def wait_polling(self, tier: str, timeout: float = 20.0) -> None:
        """Until the server lists this tier's current process among the queue's pollers."""
        process = self.running[tier]
        identity = f"{process.pid}@"
        types = [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]
        if tier == task_queues.WORKFLOWS:
            types.append(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"{tier} worker exited with {process.returncode}\n{self.output()}")
            polling = [await self._has_poller(tier, kind, identity) for kind in types]
            if all(polling):
                return
            if loop.time() > deadline:
                raise AssertionError(f"{tier} worker (pid {process.pid}) never polled within {timeout}s\n{self.output()}")
            await asyncio.sleep(0.1)

    async def _has_poller(self, tier: str, kind: TaskQueueType.ValueType, identity: str) -> bool:
        response = await self.client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=self.client.namespace,
                task_queue=TaskQueue(name=tier, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
                task_queue_type=kind,
            )
        )
        return any(poller.identity.startswith(identity) for poller in response.pollers)

    def output(self) -> str:
        """Every worker incarnation's log, for a failure message."""
        parts = []
        for tier, log in self._started:
            text = log.read_text(errors="replace") if log.exists() else "(no log)"
            parts.append(f"----- {log.name} ({tier}) -----\n{text[-6000:]}")
        return "\n".join(parts)
