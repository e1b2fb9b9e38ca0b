"""人员密集场所人流管控 — one crowding episode at a dense place.

Dispatch crowd-control staff of the place's street (on site within the response
deadline) → hold while counts come in: a higher level asks its tier (restrict entry:
district, evacuate: city) and its measure must be reported in place within the level's
deadline → close once the crowd has stayed under the warning level for the calm period.
The workflow id names the place (at most one open case per place); each episode has its
own case id, so successive cases never share a ledger row or an assignment.
"""

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.case import AcceptCommand, Role, Stage, Tier
    from models.crowd import (
        CROWD_CONTROL,
        SCENARIO,
        CrowdCount,
        CrowdInput,
        CrowdLevel,
        CrowdStatus,
        MeasureCommand,
    )

from workflows.blocks import authority
from workflows.blocks.assignment import assign_and_wait, release_officer
from workflows.blocks.case_workflow import CaseWorkflow, actor_label
from workflows.blocks.closure import write_outcome
from workflows.blocks.deadline import wait_until
from workflows.blocks.escalation import escalate_to_tier

TIER_OF_LEVEL = {CrowdLevel.restrict: Role.district, CrowdLevel.evacuate: Role.city}
ASK = {CrowdLevel.restrict: "restrict entry (限流)", CrowdLevel.evacuate: "evacuate the place (疏散)"}


@workflow.defn(name="CrowdControlCase")
class CrowdControlWorkflow(CaseWorkflow):
    @workflow.init
    def __init__(self, start: CrowdInput) -> None:
        super().__init__()
        self.policy = start.policy
        opened = workflow.now()
        self.case = CrowdStatus(
            case_id=f"{workflow.info().workflow_id}-{opened:%Y%m%dT%H%M%SZ}",
            scenario=SCENARIO,
            stage=Stage.assigning,
            opened_at=opened,
            responsible=start.place.place,
            place=start.place,
        )
        self._on_site = False

    @workflow.query
    def status(self) -> CrowdStatus:
        return self.case

    def describe(self) -> str:
        case = self.case
        return f"人流管控 {case.place.name} {case.ratio:.0%} · {case.level.value} · {case.stage.value}"

    # --- the scenario ---------------------------------------------------------------

    @workflow.run
    async def run(self, start: CrowdInput) -> CrowdStatus:
        await workflow.wait_condition(lambda: self.case.readings > 0)  # the count that opened the case
        await assign_and_wait(
            self,
            start.place.place,
            self.policy.response,
            accepted=lambda: self._on_site,
            interrupted=lambda: False,
            skill=CROWD_CONTROL,
        )
        while True:
            if self._measure_due():
                await self._escalate()
            elif await self._calm():
                break
        await release_officer(self, "closed")
        units = {Tier.street: start.place.place.street_code or "", Tier.district: start.place.place.district_code}
        if self.case.level is CrowdLevel.evacuate:
            units[Tier.city] = "CITY"
        await write_outcome(self, f"crowd eased: peak {self.case.peak_ratio:.0%} of capacity, {self.case.level.value}", units)
        self.enter(Stage.closed)
        return self.case

    def _measure_due(self) -> bool:
        done = self.case.measures_in_place
        return self.case.level is not CrowdLevel.warn and (done is None or done.severity < self.case.level.severity)

    async def _escalate(self) -> None:
        level = self.case.level
        unit = self.case.place.place.district_code if level is CrowdLevel.restrict else "CITY"
        await escalate_to_tier(
            self,
            stage=Stage.awaiting_response,
            role=TIER_OF_LEVEL[level],
            unit_code=unit,
            deadline=self.policy.measures[level],
            decided=lambda: not self._measure_due(),
            ask=f"{self.case.ratio:.0%} of capacity: {ASK[level]}",
            may_default=False,
        )

    async def _calm(self) -> bool:
        """True once the crowd has stayed under the warning level for the calm period;
        False as soon as a higher level needs its measure."""
        if self.case.stage is not Stage.controlling:
            self.enter(Stage.controlling)
        while not self._measure_due():
            since = self.case.calm_since
            if since is None:
                await workflow.wait_condition(lambda: self.case.calm_since is not None or self._measure_due())
                continue
            left = since + self.policy.calm_for - workflow.now()
            if not await wait_until(lambda: self.case.calm_since != since or self._measure_due(), left):
                self.record("crowd eased", note=f"under {self.policy.thresholds[CrowdLevel.warn]:.0%} for {self.policy.calm_for}")
                return True
        return False

    # --- counts ---------------------------------------------------------------------

    @workflow.signal
    def count(self, reading: CrowdCount) -> None:
        """Counts may arrive late or twice; only a newer one moves the case."""
        case = self.case
        if case.last_observed_at is not None and reading.observed_at <= case.last_observed_at:
            return
        case.last_observed_at = reading.observed_at
        case.readings += 1
        case.count = reading.count
        case.ratio = reading.count / case.place.capacity
        case.peak_ratio = max(case.peak_ratio, case.ratio)
        level = self.policy.level_of(case.ratio)
        if level is None:
            case.calm_since = case.calm_since or workflow.now()
        else:
            case.calm_since = None
        if level is not None and level.severity > case.level.severity:
            self.record("level raised", note=f"{case.level.value} → {level.value} at {case.ratio:.0%}")
            case.level = level
        self.publish()

    # --- human steps ----------------------------------------------------------------

    @workflow.update
    def accept(self, command: AcceptCommand) -> CrowdStatus:
        self._on_site = True
        self.record("staff on site", actor=actor_label(command.actor), note=command.note)
        return self.case

    @accept.validator
    def _validate_accept(self, command: AcceptCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_response)
        authority.require_assigned_officer(self.case, command.actor)
        if self._on_site:
            raise authority.Refused("staff are already on site; report the measure instead")

    @workflow.update
    def report_measure(self, command: MeasureCommand) -> CrowdStatus:
        self.case.measures_in_place = command.level
        self.record(f"{command.level.value} in place", actor=actor_label(command.actor), note=command.note)
        return self.case

    @report_measure.validator
    def _validate_measure(self, command: MeasureCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_response, Stage.controlling)
        authority.require_assigned_officer(self.case, command.actor)
        if not self._on_site:
            raise authority.Refused("staff must be on site (accept) before reporting a measure")
        if command.level.severity > self.case.level.severity:
            raise authority.Refused(f"the crowd is at {self.case.level.value}; {command.level.value} is not called for")
