"""Run one or more tiers' workers in this process until SIGINT/SIGTERM, then drain."""

import asyncio
import signal
from collections.abc import Sequence
from contextlib import AsyncExitStack

import structlog

from models.settings import get_settings
from models.store.engine import default_engine
from models.temporal_client import connect
from workers.metrics import worker_metrics
from workers.tiers import build_workers


async def run_workers(tiers: Sequence[str]) -> None:
    settings = get_settings()
    with worker_metrics(tiers, settings.home) as metrics_url:
        await _serve(tiers, settings, metrics_url)


async def _serve(tiers: Sequence[str], settings, metrics_url: str | None) -> None:
    client = await connect()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log = structlog.get_logger("onething.worker").bind(tiers=list(tiers), temporal=settings.temporal_address)
    async with AsyncExitStack() as running:
        for worker in build_workers(client, tiers, default_engine(), settings):
            await running.enter_async_context(worker)
        log.info("worker started", metrics=metrics_url)
        await stop.wait()
        log.info("worker draining")
    log.info("worker stopped")
