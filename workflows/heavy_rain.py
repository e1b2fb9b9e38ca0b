"""强降雨灾害应对 — one rainstorm warning, fanned out to a patrol per risk point.

Select the 风险点 risk points inside the warning's area a page at a time → start a
`RiskPointPatrol` child per point on the street tier → count what the patrols report
(by state and district). An upgrade tightens every open patrol at once; lifting the
warning stands down patrols nobody has accepted and closes the warning once every
patrol is done. The warning continues as new whenever its history reaches the policy's
limit, carrying its counts, its open patrols and its cursor.
"""

import asyncio

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.risk_points import RiskPointActivities
    from models import search_attributes as sa
    from models import task_queues
    from models.case import Stage, Tier
    from models.heavy_rain import (
        DONE_STATES,
        SCENARIO,
        LevelChange,
        Lift,
        OpenPoint,
        PatrolInput,
        PointPageRequest,
        PointProgress,
        PointState,
        RiskPointRef,
        WarningCarry,
        WarningInput,
        WarningNews,
        WarningStatus,
    )

from workflows.blocks.case_workflow import ACTIVITY_RETRY, ACTIVITY_TIMEOUT, CaseWorkflow
from workflows.blocks.closure import write_outcome
from workflows.risk_point import RiskPointPatrolWorkflow


@workflow.defn(name="HeavyRainWarning")
class HeavyRainWarningWorkflow(CaseWorkflow):
    @workflow.init
    def __init__(self, start: WarningInput) -> None:
        super().__init__()
        self.policy = start.policy
        carried = start.carried
        warning = start.warning
        self.case = carried.status if carried else WarningStatus(
            case_id=workflow.info().workflow_id,
            scenario=SCENARIO,
            stage=Stage.dispatching,
            opened_at=workflow.now(),
            warning_id=warning.warning_id,
            level=warning.level,
            area=warning.area,
            issued_at=warning.issued_at,
        )
        self._open: dict[str, OpenPoint] = carried.open if carried else {}
        self._after = carried.after if carried else None
        self._exhausted = carried.exhausted if carried else False
        self._untold: list[str] = carried.untold if carried else []

    @workflow.query
    def status(self) -> WarningStatus:
        return self.case

    def describe(self) -> str:
        case = self.case
        return f"暴雨{case.level.zh}预警 {case.warning_id} · {case.dispatched} 个风险点 · {case.stage.value}"

    # --- the scenario ---------------------------------------------------------------

    @workflow.run
    async def run(self, start: WarningInput) -> WarningStatus:
        self.publish()
        while not self._exhausted and self.case.lifted_at is None:
            await workflow.wait_condition(
                lambda: len(self._open) < self.policy.max_open_patrols
                or self.case.lifted_at is not None
                or self._history_full()
            )
            if self.case.lifted_at is None and len(self._open) < self.policy.max_open_patrols:
                await self._dispatch_page(start)
            await self._tell_open_patrols(start)
        if self.case.stage is Stage.dispatching:
            self.enter(Stage.monitoring, note=f"{self.case.dispatched} patrols dispatched")
        while self._open or self.case.lifted_at is None:
            await workflow.wait_condition(
                lambda: bool(self._untold) or self._history_full() or not (self._open or self.case.lifted_at is None)
            )
            await self._tell_open_patrols(start)
        await write_outcome(self, self._summary(), {Tier.city: "CITY"})  # each patrol ledgers its street and district
        self.enter(Stage.closed)
        return self.case

    async def _dispatch_page(self, start: WarningInput) -> None:
        page = await workflow.execute_activity_method(
            RiskPointActivities.page,
            PointPageRequest(
                area=self.case.area,
                after=self._after,
                limit=self.policy.batch_size,
                count_total=self.case.selected is None,
            ),
            task_queue=task_queues.DISTRICT,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=ACTIVITY_RETRY,
            summary=f"risk points after {self._after or 'start'}",
        )
        if page.total is not None:
            self.case.selected = page.total
        await asyncio.gather(*(self._start_patrol(point) for point in page.points))
        self._after, self._exhausted = page.after, page.exhausted
        self.record("patrols dispatched", note=f"{len(page.points)} risk points, {self.case.level.value}")
        self.publish()

    async def _start_patrol(self, point: RiskPointRef) -> None:
        self._count(PointProgress(point_id=point.point_id, district_code=point.place.district_code, state=PointState.awaiting_response, breached=False))
        self.case.dispatched += 1
        try:
            await workflow.start_child_workflow(
                RiskPointPatrolWorkflow.run,
                PatrolInput(
                    warning_id=self.case.warning_id,
                    parent_id=workflow.info().workflow_id,
                    point=point,
                    level=self.case.level,
                    levels=self.policy.levels,
                ),
                id=f"{workflow.info().workflow_id}-{point.point_id}",
                task_queue=task_queues.STREET,
                parent_close_policy=ParentClosePolicy.ABANDON,
                search_attributes=TypedSearchAttributes([SearchAttributePair(sa.SCENARIO, SCENARIO)]),
                static_summary=f"风险点巡查 {point.name}",
            )
        except WorkflowAlreadyStartedError:
            self.record("patrol already running", note=point.point_id)

    # --- what the warning tells its open patrols ----------------------------------------

    async def _tell_open_patrols(self, start: WarningInput) -> None:
        """Signal the news (upgrade, lift) a batch at a time, continuing as new in between
        if the history is full, so a thousand signals never land in one run."""
        news = WarningNews(level=self.case.level, lifted=self.case.lifted_at is not None)
        prefix = workflow.info().workflow_id
        while True:
            if self._history_full():
                self._continue(start)
            if not self._untold:
                return
            batch, self._untold = self._untold[: self.policy.batch_size], self._untold[self.policy.batch_size :]
            handles = [workflow.get_external_workflow_handle(f"{prefix}-{point_id}") for point_id in batch]
            # A patrol that closed meanwhile cannot be signalled, and needs no news.
            await asyncio.gather(*(handle.signal("warning_news", news) for handle in handles), return_exceptions=True)

    # --- counting -------------------------------------------------------------------

    def _count(self, progress: PointProgress) -> None:
        before = self._open.pop(progress.point_id, None)
        if before is not None:
            self._tally(before.district_code, before.state, -1)
        if progress.breached and not (before and before.breached):
            self.case.breached_points += 1
        self._tally(progress.district_code, progress.state, +1)
        if progress.state not in DONE_STATES:
            self._open[progress.point_id] = OpenPoint(
                district_code=progress.district_code, state=progress.state, breached=progress.breached
            )

    def _tally(self, district: str, state: PointState, delta: int) -> None:
        self.case.counts[state] = self.case.counts.get(state, 0) + delta
        by_state = self.case.by_district.setdefault(district, {})
        by_state[state] = by_state.get(state, 0) + delta

    def _summary(self) -> str:
        counts = self.case.counts
        done = ", ".join(f"{counts.get(state, 0)} {state.value}" for state in sorted(DONE_STATES))
        skipped = ""
        if self.case.selected is not None and self.case.dispatched < self.case.selected:
            skipped = f"; {self.case.selected - self.case.dispatched} not dispatched before the lift"
        return f"warning lifted: {self.case.dispatched} patrols ({done}){skipped}"

    # --- continue-as-new --------------------------------------------------------------

    def _history_full(self) -> bool:
        return workflow.info().get_current_history_length() >= self.policy.history_limit

    def _continue(self, start: WarningInput) -> None:
        self.case.run_events.append(workflow.info().get_current_history_length())
        self.case.runs += 1
        self.record("continued as new", note=f"run {self.case.runs}")
        carry = WarningCarry(
            status=self.case, open=self._open, after=self._after, exhausted=self._exhausted, untold=self._untold
        )
        workflow.continue_as_new(WarningInput(warning=start.warning, policy=self.policy, carried=carry))

    # --- signals --------------------------------------------------------------------

    @workflow.signal
    def point_progress(self, progress: PointProgress) -> None:
        self._count(progress)

    @workflow.signal
    def change_level(self, change: LevelChange) -> None:
        if change.level is self.case.level:
            return
        self.record("level changed", note=f"{self.case.level.value} → {change.level.value}")
        if change.level.severity > self.case.level.severity:
            self._untold = sorted(self._open)
        self.case.level = change.level
        self.publish()

    @workflow.signal
    def lift(self, lift: Lift) -> None:
        if self.case.lifted_at is None:
            self.case.lifted_at = lift.at
            self._untold = sorted(self._open)
            self.record("warning lifted", note=lift.at.isoformat())
