"""Structured JSON logs for every process, with the case context bound.

Activities bind case/workflow/tier/stage with structlog; workflow code logs through the
SDK's replay-safe `workflow.logger` (stdlib), whose records pass through the same
structlog processors, so one JSON shape comes out of both.
"""

import logging
import sys

import structlog
from temporalio import activity, workflow

from workers.redaction import redact_personal_data

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_SHARED,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _flatten_temporal_context,
                redact_personal_data,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The case context travels as JSON fields; the SDK's default repeats it in the message.
    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False


def _flatten_temporal_context(_logger, _name, event: dict) -> dict:
    """Lift the SDK's `temporal_workflow` extra into the case fields every line carries."""
    context = event.pop("temporal_workflow", None) or event.pop("temporal_activity", None)
    if isinstance(context, dict):
        event.setdefault("workflow_id", context.get("workflow_id"))
        event.setdefault("case_id", context.get("workflow_id"))
        event.setdefault("tier", context.get("task_queue"))
    return event
