"""Which workflows and activities each tier's worker serves.

The district worker runs the case workflows (and, as local activities, the millisecond
steps: officer choice and directory lookups); the street worker runs the risk-point
patrols a rainstorm warning fans out; each tier's worker writes that tier's ledger rows
and delivers its notifications; the vision worker handles detection.
"""

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from activities.assignment import AssignmentActivities
from activities.detection import DetectionActivities
from activities.directory import DirectoryActivities
from activities.evidence_store import EvidenceStore, SnapshotFetcher
from activities.ledger import LedgerActivities
from activities.milestones import MilestoneActivities
from activities.notification import NotificationActivities
from activities.notifiers import notifiers_from
from activities.risk_points import RiskPointActivities
from activities.triage import TriageActivities
from activities.vision.judge import frame_judge_for
from models import task_queues
from models.settings import Settings
from models.vision.settings import get_vision_settings
from workers.workflow_bytecode import compile_workflow_modules
from workflows.blocks.milestones import SettleMilestonesInterceptor
from workflows.crowd_control import CrowdControlWorkflow
from workflows.heavy_rain import HeavyRainWarningWorkflow
from workflows.muck_truck import MuckTruckCaseWorkflow
from workflows.risk_point import RiskPointPatrolWorkflow

WORKFLOWS: dict[str, list[type]] = {
    task_queues.DISTRICT: [MuckTruckCaseWorkflow, HeavyRainWarningWorkflow, CrowdControlWorkflow],
    task_queues.STREET: [RiskPointPatrolWorkflow],  # 巡查 belongs to the street that patrols
}


def activities_for(tier: str, engine: Engine, settings: Settings) -> list[Callable]:
    ledger = LedgerActivities(engine).record_outcome
    notify = NotificationActivities(engine, notifiers_from(settings)).send
    if tier == task_queues.VISION:
        store = EvidenceStore(settings.evidence_dir)
        fetcher = SnapshotFetcher(settings.allowed_snapshot_roots, settings.max_snapshot_bytes)
        return [DetectionActivities(engine, store, fetcher, frame_judge_for(engine, store, get_vision_settings())).detect]
    if tier == task_queues.DISTRICT:
        triage = TriageActivities(engine)
        assignment = AssignmentActivities(engine)
        return [
            triage.find_source_site,
            triage.site_by_id,
            assignment.choose_officer,
            assignment.release,
            DirectoryActivities(engine).street_place,
            RiskPointActivities(engine).page,
            ledger,
            notify,
        ]
    if tier == task_queues.STREET:
        assignment = AssignmentActivities(engine)
        return [assignment.choose_officer, assignment.release, ledger, notify]
    if tier == task_queues.CITY:
        return [ledger, notify]
    raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(task_queues.ALL)}")


def build_worker(client: Client, tier: str, engine: Engine, settings: Settings, *, max_threads: int = 16) -> Worker:
    workflows = WORKFLOWS.get(tier, [])
    activities = activities_for(tier, engine, settings)
    if workflows:  # case workflows mirror their milestones through a local activity
        activities.append(MilestoneActivities(engine).record)
    if workflows and settings.workflow_sandbox:
        compile_workflow_modules()
    return Worker(
        client,
        task_queue=tier,
        workflows=workflows,
        activities=activities,
        activity_executor=ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix=f"{tier}-activity"),
        interceptors=[SettleMilestonesInterceptor()] if workflows else [],
        max_cached_workflows=settings.workflow_cache_size,
        workflow_runner=SandboxedWorkflowRunner() if settings.workflow_sandbox else UnsandboxedWorkflowRunner(),
    )


def build_workers(client: Client, tiers: Sequence[str], engine: Engine, settings: Settings) -> list[Worker]:
    return [build_worker(client, tier, engine, settings) for tier in tiers]
