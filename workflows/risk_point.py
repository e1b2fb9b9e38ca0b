"""风险点巡查 — one risk point's patrol under a rainstorm warning, on the street tier.

Assign an inspector with the flood-patrol skill (accept within the level's response
deadline) → patrol and report within the level's patrol deadline, counted from dispatch
→ a hazard goes to the district until the people are evacuated or the hazard is cleared
→ outcome to the street and district ledgers. An upgraded warning tightens every
deadline at once; a lifted one stands down a patrol nobody has accepted yet.
"""

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.case import AcceptCommand, Role, Stage, Tier
    from models.heavy_rain import (
        DONE_STATES,
        FLOOD_PATROL,
        SCENARIO,
        PatrolDeadlines,
        PatrolFinding,
        PatrolInput,
        PatrolReportCommand,
        PatrolStatus,
        PointProgress,
        PointState,
        WarningNews,
    )

from workflows.blocks import authority
from workflows.blocks.assignment import assign_and_wait, release_officer
from workflows.blocks.case_workflow import CaseWorkflow, actor_label
from workflows.blocks.closure import write_outcome
from workflows.blocks.deadline import hold_stage
from workflows.blocks.escalation import escalate_to_tier
from workflows.blocks.progress import keep_posted


@workflow.defn(name="RiskPointPatrol")
class RiskPointPatrolWorkflow(CaseWorkflow):
    @workflow.init
    def __init__(self, start: PatrolInput) -> None:
        super().__init__()
        self.levels = start.levels
        self.case = PatrolStatus(
            case_id=workflow.info().workflow_id,
            scenario=SCENARIO,
            stage=Stage.assigning,
            opened_at=workflow.now(),
            responsible=start.point.place,
            warning_id=start.warning_id,
            level=start.level,
            point=start.point,
        )
        self._accepted = False

    @workflow.query
    def status(self) -> PatrolStatus:
        return self.case

    def describe(self) -> str:
        point = self.case.point
        return f"暴雨{self.case.level.zh} 风险点巡查 {point.name} · {point.place.street_name} · {self.case.stage.value}"

    def deadlines(self) -> PatrolDeadlines:
        return self.levels[self.case.level]

    # --- the scenario ---------------------------------------------------------------

    @workflow.run
    async def run(self, start: PatrolInput) -> PatrolStatus:
        self.case.patrol_due = self.case.opened_at + self.deadlines().patrol.within
        self.publish()
        posting = asyncio.create_task(
            keep_posted(start.parent_id, "point_progress", self._progress, lambda p: p.state in DONE_STATES)
        )
        await assign_and_wait(
            self,
            start.point.place,
            lambda: self.deadlines().response,
            accepted=lambda: self._accepted,
            interrupted=lambda: self.case.stood_down,
            skill=FLOOD_PATROL,
        )
        if self._accepted:
            await self._patrol()
        await release_officer(self, "closed")
        place = start.point.place
        await write_outcome(self, self._outcome(), {Tier.street: place.street_code or place.district_code, Tier.district: place.district_code})
        self.enter(Stage.closed)
        await posting
        return self.case

    async def _patrol(self) -> None:
        self.enter(Stage.patrolling)

        async def breach() -> None:
            self.breach("patrol")

        async def rung(step) -> None:
            await self.supervise(step, "patrol")

        def tightened(due) -> None:
            self.case.patrol_due = due
            self.publish()

        await hold_stage(
            lambda: self.case.finding is not None,
            lambda: self.deadlines().patrol,
            on_breach=breach,
            on_rung=rung,
            started=self.case.opened_at,
            on_change=tightened,
        )
        if self.case.finding is PatrolFinding.hazard:
            await escalate_to_tier(
                self,
                stage=Stage.hazard,
                role=Role.district,
                unit_code=self.case.point.place.district_code,
                deadline=lambda: self.deadlines().hazard,
                decided=lambda: self.case.finding is not PatrolFinding.hazard,
                ask="险情: organise the evacuation, then report evacuated or cleared",
                may_default=False,
            )

    def _outcome(self) -> str:
        if self.case.finding is None:
            return "stood down: the warning was lifted before anyone accepted the patrol"
        return {PatrolFinding.safe: "patrolled: safe", PatrolFinding.evacuated: "evacuated"}[self.case.finding]

    def _progress(self) -> PointProgress:
        stage, finding = self.case.stage, self.case.finding
        if stage is Stage.closed:
            state = PointState(finding.value) if finding else PointState.stood_down
        elif stage in (Stage.patrolling, Stage.hazard):
            state = PointState(stage.value)
        else:
            state = PointState.awaiting_response
        return PointProgress(
            point_id=self.case.point.point_id,
            district_code=self.case.point.place.district_code,
            state=state,
            breached=self.case.breached,
        )

    # --- the warning's signals ------------------------------------------------------

    @workflow.signal
    def warning_news(self, news: WarningNews) -> None:
        """Deadlines follow the most severe level seen (a patrol is never relaxed mid-way);
        a lift stands the patrol down unless it was accepted."""
        if news.level.severity > self.case.level.severity:
            self.record("warning upgraded", note=f"{self.case.level.value} → {news.level.value}")
            self.case.level = news.level
            self.publish()
        if news.lifted and not self.case.stood_down:
            self.case.stood_down = True
            self.record("warning lifted", note="stands down unless the patrol was accepted")

    # --- human steps ----------------------------------------------------------------

    @workflow.update
    def accept(self, command: AcceptCommand) -> PatrolStatus:
        self._accepted = True
        self.record("inspector accepted", actor=actor_label(command.actor), note=command.note)
        return self.case

    @accept.validator
    def _validate_accept(self, command: AcceptCommand) -> None:
        authority.require_stage(self.case, Stage.awaiting_response)
        authority.require_assigned_officer(self.case, command.actor)
        if self.case.stood_down:
            raise authority.Refused("the warning was lifted; this patrol is stood down")

    @workflow.update
    def report(self, command: PatrolReportCommand) -> PatrolStatus:
        self.case.reports.append(command.report)
        people = f", {command.report.evacuated_people} people evacuated" if command.report.evacuated_people else ""
        self.record(f"reported {command.report.finding.value}", actor=actor_label(command.actor), note=f"{command.note}{people}")
        return self.case

    @report.validator
    def _validate_report(self, command: PatrolReportCommand) -> None:
        authority.require_stage(self.case, Stage.patrolling, Stage.hazard)
        authority.require_assigned_officer(self.case, command.actor)
        if self.case.stage is Stage.hazard and command.report.finding is PatrolFinding.hazard:
            raise authority.Refused("the hazard is already reported; report evacuated, or safe once it is cleared")
