"""What a deployment sets for its workflow workers reaches them: the determinism sandbox
(on throughout this suite, off in production workers) and the workflow cache size."""

from temporalio.worker import UnsandboxedWorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from models import task_queues
from models.settings import Settings
from models.store.engine import make_engine
from workers.tiers import build_worker
from workers.workflow_bytecode import WORKFLOWS_DIR


def test_the_suite_runs_workflows_in_the_sandbox():
    assert Settings().workflow_sandbox is True  # tests/conftest.py, inherited by the stacks' worker processes


async def test_workers_take_the_sandbox_and_cache_settings(ts_env, case_settings):
    engine = make_engine(case_settings.resolved_database_url)
    lean = case_settings.model_copy(update={"workflow_sandbox": False, "workflow_cache_size": 12_000})
    production = build_worker(ts_env.client, task_queues.DISTRICT, engine, lean).config()
    checked = build_worker(ts_env.client, task_queues.STREET, engine, case_settings).config()  # one worker per queue
    assert isinstance(production["workflow_runner"], UnsandboxedWorkflowRunner)
    assert production["max_cached_workflows"] == 12_000
    assert isinstance(checked["workflow_runner"], SandboxedWorkflowRunner)
    assert checked["max_cached_workflows"] == 1000
    # the sandbox re-imports workflow modules for every new case: their bytecode is on disk
    assert (WORKFLOWS_DIR / "__pycache__").is_dir() and any((WORKFLOWS_DIR / "__pycache__").glob("muck_truck.*.pyc"))
