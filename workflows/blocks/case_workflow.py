"""What every case workflow shares: its status, timeline, search attributes and outbox.

A scenario subclasses `CaseWorkflow` and writes only its own control flow; recording a
step, moving a stage, notifying a tier and running a ladder rung are done here once.
"""

from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from activities.notification import NotificationActivities
    from models import search_attributes as sa
    from models import task_queues
    from models.case import Actor, CaseCore, Role, Stage, Tier, TimelineEntry
    from models.policy import LadderAction, LadderStep
    from models.steps import Notification

from workflows.blocks import case_metrics
from workflows.blocks.milestones import MilestoneKeeper

ACTIVITY_TIMEOUT = timedelta(seconds=30)
ACTIVITY_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))
QUEUE_OF_ROLE = {
    Role.officer: task_queues.STREET,
    Role.street: task_queues.STREET,
    Role.district: task_queues.DISTRICT,
    Role.city: task_queues.CITY,
}
TIER_OF_STAGE = {
    Stage.detecting: Tier.district,
    Stage.triage: Tier.district,
    Stage.awaiting_city: Tier.city,
    Stage.assigning: Tier.street,
    Stage.awaiting_response: Tier.street,
    Stage.disposing: Tier.street,
    Stage.verifying: Tier.district,
    Stage.closed: Tier.district,
    Stage.dismissed: Tier.district,
    Stage.dispatching: Tier.district,
    Stage.monitoring: Tier.district,
    Stage.patrolling: Tier.street,
    Stage.hazard: Tier.district,
    Stage.controlling: Tier.street,
}


STAGE_WORDS = {
    Stage.detecting: "checking evidence",
    Stage.triage: "finding source site",
    Stage.awaiting_city: "awaiting city",
    Stage.awaiting_response: "awaiting officer",
    Stage.disposing: "officer disposing",
    Stage.verifying: "awaiting district check",
}


def stage_words(case: CaseCore) -> str:
    """How a person says where the case stands (the UI's one-line details), breaches included."""
    words = STAGE_WORDS.get(case.stage, case.stage.value.replace("_", " "))
    return f"{words} · overdue: {', '.join(case.breaches)}" if case.breaches else words


def actor_label(actor: Actor) -> str:
    return f"{actor.role.value}:{actor.id}"


class CaseWorkflow:
    """Base of every scenario workflow; the case id is the workflow id unless the scenario
    reuses one workflow id for successive cases (one open case per place)."""

    case: CaseCore

    def __init__(self) -> None:
        self._step = 0
        self.milestones = MilestoneKeeper(ACTIVITY_RETRY)
        self._stage_since: tuple[str, datetime] | None = None  # (case id, when its stage began)

    @workflow.query
    def status(self) -> CaseCore:
        return self.case

    # --- recording ------------------------------------------------------------------

    def next_step_key(self, what: str) -> str:
        """Deterministic key for an activity's write: same on replay, unique per step."""
        self._step += 1
        return f"{self.case.case_id}#{self._step}:{what}"

    def record(self, action: str, *, actor: str = "system", note: str = "") -> None:
        self.case.timeline.append(
            TimelineEntry(at=workflow.now(), stage=self.case.stage, action=action, actor=actor, note=note)
        )
        workflow.logger.info(
            "case step", extra={"case_id": self.case.case_id, "stage": self.case.stage.value, "action": action}
        )

    def enter(self, stage: Stage, *, note: str = "") -> None:
        left = self.case.stage
        self.case.stage = stage
        self.record(f"entered {stage.value}", note=note)
        self.publish(entered=stage, left=left)

    def breach(self, what: str) -> None:
        if what not in self.case.breaches:
            self.case.breaches.append(what)
            case_metrics.breached(self.case.scenario, what)
        self.record("deadline breached", note=what)
        self.publish()

    def publish(self, *, entered: Stage | None = None, left: Stage | None = None) -> None:
        """Mirror the status into search attributes (the Temporal UI filters on them), the
        milestone store (the SLA report) and the case metrics; `entered` marks a stage change."""
        case = self.case
        place = case.where
        updates: list[SearchAttributeUpdate] = [
            sa.SCENARIO.value_set(case.scenario),
            sa.STAGE.value_set(case.stage.value),
            sa.TIER.value_set(TIER_OF_STAGE[case.stage].value),
            sa.BREACHED.value_set(case.breached),
        ]
        optional = [
            (sa.DISTRICT, place.district_code if place else None),
            (sa.STREET, place.street_code if place else None),
            (sa.OFFICER, case.officer.officer_id if case.officer else None),
            (sa.RESPONSE_DUE, case.response_due),
            *case.search_values().items(),
        ]
        for key, value in optional:
            updates.append(key.value_set(value) if value is not None else key.value_unset())
        workflow.upsert_search_attributes(updates)
        workflow.set_current_details(self.describe())
        self._meter(entered, left)
        self.milestones.update(case, entered, workflow.now())

    def _meter(self, entered: Stage | None, left: Stage | None) -> None:
        now, case = workflow.now(), self.case
        if self._stage_since is None or self._stage_since[0] != case.case_id:
            case_metrics.opened(case.scenario)
            self._stage_since = (case.case_id, case.opened_at)
        if entered is not None and left is not None:
            case_metrics.stage_entered(case.scenario, entered.value, left.value, now - self._stage_since[1])
            self._stage_since = (case.case_id, now)

    def describe(self) -> str:
        """One line for the Temporal UI; scenarios override with their own wording."""
        return f"{self.case.scenario} · {self.case.stage.value}"

    # --- outbox ---------------------------------------------------------------------

    async def notify(self, role: Role, recipient_id: str, kind: str, text: str) -> None:
        """Send through the outbox on the recipient's tier; keyed, so sent once per step."""
        message = Notification(
            key=self.next_step_key(f"notify-{kind}"),
            case_id=self.case.case_id,
            recipient_role=role,
            recipient_id=recipient_id,
            kind=kind,
            text=text,
        )
        await workflow.execute_activity_method(
            NotificationActivities.send,
            message,
            task_queue=QUEUE_OF_ROLE[role],
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
            summary=f"notify {role.value} {recipient_id}: {kind}",
        )
        self.record(f"notified {role.value}", note=f"{recipient_id}: {kind}")

    async def supervise(self, step: LadderStep, what: str) -> None:
        """The tier-climbing rungs every stage shares (remind, lead, district, city)."""
        case = self.case
        place = case.where
        district = place.district_code if place else "CITY"
        text = f"{self.describe()} — {what} overdue"
        match step.action:
            case LadderAction.remind if case.officer:
                await self.notify(Role.officer, case.officer.officer_id, "reminder", text)
            case LadderAction.remind:
                await self.notify(Role.district, district, "reminder", text)
            case LadderAction.notify_street_lead if place and place.street_code:
                await self.notify(Role.street, place.street_code, "street_lead_alert", text)
            case LadderAction.supervise_district | LadderAction.notify_street_lead:
                await self.notify(Role.district, district, "district_supervision", text)
            case LadderAction.supervise_city:
                await self.notify(Role.city, "CITY", "city_supervision", text)
            case LadderAction.reassign:
                raise ValueError("reassign is handled by the assignment block")
        self.record(f"escalated: {step.action.value}", note=what)
