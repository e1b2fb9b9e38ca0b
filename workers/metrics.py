"""Prometheus `/metrics` for each worker process, served by the Temporal runtime itself.

The SDK's runtime already measures what matters for a worker (task schedule-to-start and
execution latencies, free slots, poll results, sticky cache); the case workflows add
their counters and stage-latency histograms through the same meter
(workflows/blocks/case_metrics.py). Several workers share one machine, so by default each
binds a free port on 127.0.0.1 and announces it as a Prometheus file-based discovery
target under `home/metrics/` (point `file_sd_configs` at `home/metrics/*.json`).
"""

import json
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from workflows.blocks.case_metrics import STAGE_SECONDS

# A stage lasts from milliseconds (assignment) to days (disposal).
STAGE_BUCKETS = (0.01, 0.05, 0.25, 1, 5, 30, 180, 600, 1800, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400)


class WorkerMetricsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETHING_", extra="ignore")

    worker_metrics_bind: str = Field(
        default="127.0.0.1:0",
        description="host:port of the worker's Prometheus endpoint; port 0 picks a free one; empty disables",
    )


@contextmanager
def worker_metrics(tiers: Sequence[str], home: Path, bind: str | None = None) -> Iterator[str | None]:
    """Install a Prometheus-exporting runtime as this process's default (before any client
    connects) and announce it while the worker runs; yields the scrape URL."""
    bind = WorkerMetricsSettings().worker_metrics_bind if bind is None else bind
    if not bind:
        yield None
        return
    host, _, port = bind.rpartition(":")
    address = f"{host}:{int(port) or free_port(host)}"
    Runtime.set_default(Runtime(telemetry=prometheus_telemetry(address)), error_if_already_set=False)
    target = home / "metrics" / f"worker-{'-'.join(tiers)}-{os.getpid()}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    labels = {"job": "onething-worker", "tiers": ",".join(tiers), "pid": str(os.getpid())}
    target.write_text(json.dumps([{"targets": [address], "labels": labels}]), encoding="utf-8")
    try:
        yield f"http://{address}/metrics"
    finally:
        target.unlink(missing_ok=True)


def prometheus_telemetry(address: str) -> TelemetryConfig:
    return TelemetryConfig(
        metrics=PrometheusConfig(
            bind_address=address,
            counters_total_suffix=True,
            durations_as_seconds=True,
            histogram_bucket_overrides={STAGE_SECONDS: list(STAGE_BUCKETS)},
        )
    )


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
