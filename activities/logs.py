"""A structlog logger bound to the case an activity works on (case, workflow, tier, stage)."""

import structlog
from temporalio import activity


def case_logger(stage: str) -> structlog.stdlib.BoundLogger:
    info = activity.info()
    return structlog.get_logger("onething.activity").bind(
        case_id=info.workflow_id,
        workflow_id=info.workflow_id,
        run_id=info.workflow_run_id,
        tier=info.task_queue,
        stage=stage,
        activity=info.activity_type,
        attempt=info.attempt,
    )
