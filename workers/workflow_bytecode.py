"""Bytecode for the workflow modules, written once when a workflow worker starts.

The Temporal sandbox imports a workflow's modules afresh for every new run, so it stays
isolated from other runs. Where the interpreter may not write bytecode
(PYTHONDONTWRITEBYTECODE=1, usual in containers and set on our machines), each of those
imports compiled the source again: ~28 ms of CPU per new case, a third of the district
worker's time at 20 cases/s. With .pyc files beside the source, the sandbox loads them.
"""

import compileall
from pathlib import Path

import structlog

import workflows

WORKFLOWS_DIR = Path(workflows.__file__).resolve().parent


def compile_workflow_modules() -> bool:
    """Up-to-date files are skipped; a read-only tree only costs speed, so it is logged, not fatal."""
    compiled = bool(compileall.compile_dir(WORKFLOWS_DIR, quiet=2))
    if not compiled:
        structlog.get_logger("onething.worker").warning("workflow bytecode not written", directory=str(WORKFLOWS_DIR))
    return compiled
