"""Case counters and stage-latency histograms, emitted from the workflow itself.

`workflow.metric_meter()` is replay-safe (nothing is counted again when a worker replays a
history), and it reports through the worker's Temporal runtime, so these series appear
on each worker's Prometheus endpoint next to the SDK's own (see workers/metrics.py).
"""

from datetime import timedelta

from temporalio import workflow

STAGE_SECONDS = "onething_case_stage_seconds"


def opened(scenario: str) -> None:
    _meter(scenario).create_counter("onething_cases_opened", "cases opened").add(1)


def stage_entered(scenario: str, stage: str, left: str, spent: timedelta) -> None:
    meter = _meter(scenario)
    meter.create_counter("onething_case_stage_entries", "stage entries").add(1, {"stage": stage})
    meter.create_histogram_float(STAGE_SECONDS, "time a case spent in a stage before leaving it", "s").record(
        spent.total_seconds(), {"stage": left}
    )


def breached(scenario: str, deadline: str) -> None:
    _meter(scenario).create_counter("onething_case_breaches", "deadlines breached").add(1, {"deadline": deadline})


def _meter(scenario: str):
    return workflow.metric_meter().with_additional_attributes({"scenario": scenario})
