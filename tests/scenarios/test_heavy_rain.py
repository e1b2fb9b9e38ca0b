"""强降雨 on time-skipping Temporal: a warning fans out to its risk points' patrols, which
report safe / hazard / evacuated; breaches climb the ladder; an upgrade tightens open
patrols at once; lifting stands down unaccepted patrols and closes the warning only when
every patrol is done."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from models.case import Stage
from models.heavy_rain import LevelChange, Lift, PointState, WarningArea, WarningLevel
from models.store import CaseLedgerEntry, OutboxMessage
from tests.casebook import JIULONGPO, SHAPINGBA
from tests.scenarios.heavy_rain_helpers import accept, issue, patrol, patrol_status, report, warning_status
from tests.scenarios.scenebook import FLOOD_XJW, FLOOD_XLK, load_scenebook
from workflows.heavy_rain import HeavyRainWarningWorkflow
from workflows.risk_point import RiskPointPatrolWorkflow

BOTH = WarningArea(district_codes=[JIULONGPO, SHAPINGBA])
JLP_ONLY = WarningArea(district_codes=[JIULONGPO])


@pytest.fixture
def rain(stack):
    load_scenebook(stack.engine, risk_points=3)  # points 1, 3 in 九龙坡 谢家湾; 2 in 沙坪坝 小龙坎
    return stack


def kinds(stack, case_id: str) -> list[str]:
    with Session(stack.engine) as session:
        return [row.kind for row in session.exec(select(OutboxMessage).where(OutboxMessage.case_id == case_id))]


async def lift(warning) -> None:
    await warning.signal(HeavyRainWarningWorkflow.lift, Lift(at=datetime.now(UTC)))


async def test_patrols_report_safe_and_hazard_then_evacuated_and_the_warning_counts_them(rain):
    warning = await issue(rain, BOTH, WarningLevel.orange, points=3)
    status = await warning_status(warning, lambda s: s.stage is Stage.monitoring)
    assert (status.selected, status.dispatched, status.counts) == (3, 3, {PointState.awaiting_response: 3})

    first, second, third = (patrol(rain, warning, n) for n in (1, 2, 3))
    assigned = await patrol_status(first, lambda s: s.stage is Stage.awaiting_response)
    assert assigned.officer.officer_id == FLOOD_XJW, "the flood-patrol inspector comes before nearer officers"
    assert (await patrol_status(second, lambda s: s.officer is not None)).officer.officer_id == FLOOD_XLK
    assert assigned.patrol_due == assigned.opened_at + timedelta(hours=2), "orange: patrol within 2 h of dispatch"

    await accept(first, FLOOD_XJW)
    await patrol_status(first, lambda s: s.stage is Stage.patrolling)
    await report(first, FLOOD_XJW, "safe")

    await accept(third, FLOOD_XJW)
    await patrol_status(third, lambda s: s.stage is Stage.patrolling)
    await report(third, FLOOD_XJW, "hazard")
    await patrol_status(third, lambda s: s.stage is Stage.hazard)
    assert "decision_hazard" in kinds(rain, third.id), "the district is asked to organise the evacuation"
    await report(third, FLOOD_XJW, "evacuated", evacuated_people=12)

    counted = await warning_status(warning, lambda s: s.counts.get(PointState.evacuated) == 1 and s.counts.get(PointState.safe) == 1)
    assert counted.by_district[JIULONGPO] == {PointState.awaiting_response: 0, PointState.patrolling: 0, PointState.hazard: 0, PointState.safe: 1, PointState.evacuated: 1}
    assert counted.by_district[SHAPINGBA] == {PointState.awaiting_response: 1}

    await accept(second, FLOOD_XLK)
    await patrol_status(second, lambda s: s.stage is Stage.patrolling)
    await report(second, FLOOD_XLK, "safe")
    await lift(warning)
    final = await warning.result()
    assert final.stage is Stage.closed and final.counts[PointState.safe] == 2
    assert "2 safe" in final.outcome and "1 evacuated" in final.outcome
    closed = await third.result()
    assert closed.outcome == "evacuated" and not closed.breached
    with Session(rain.engine) as session:
        ledger = {(row.tier, row.unit_code) for row in session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == third.id))}
    assert ledger == {("street", closed.point.place.street_code), ("district", JIULONGPO)}


async def test_missed_response_and_patrol_breach_climb_the_ladder(rain):
    warning = await issue(rain, JLP_ONLY, WarningLevel.red, points=3)
    first = patrol(rain, warning, 1)
    await patrol_status(first, lambda s: s.stage is Stage.awaiting_response)
    await rain.env.sleep(timedelta(minutes=16))  # red: respond in 10 min; remind ~7, reassign 10, lead 15
    status = await patrol_status(first, lambda s: "response" in s.breaches)
    assert any(t.action == "escalated: reassign" for t in status.timeline)
    officer = status.officer.officer_id
    await accept(first, officer)
    await patrol_status(first, lambda s: s.stage is Stage.patrolling)
    await rain.env.sleep(timedelta(minutes=95))  # red: patrol within 1 h of dispatch; city at 1.5 h
    status = await patrol_status(first, lambda s: "patrol" in s.breaches)
    sent = kinds(rain, first.id)
    assert {"reminder", "street_lead_alert", "district_supervision", "city_supervision"} <= set(sent), sent
    await warning_status(warning, lambda s: s.breached_points == 2)  # point 3 was never accepted either


async def test_upgrade_mid_patrol_tightens_open_patrols_at_once(rain):
    warning = await issue(rain, JLP_ONLY, WarningLevel.blue, points=3)
    first = patrol(rain, warning, 1)
    await patrol_status(first, lambda s: s.stage is Stage.awaiting_response)
    await accept(first, FLOOD_XJW)
    before = await patrol_status(first, lambda s: s.stage is Stage.patrolling)
    assert before.patrol_due == before.opened_at + timedelta(hours=8), "blue: 8 h"
    await rain.env.sleep(timedelta(minutes=90))
    assert not (await first.query(RiskPointPatrolWorkflow.status)).breached

    await warning.signal(HeavyRainWarningWorkflow.change_level, LevelChange(level=WarningLevel.red, at=datetime.now(UTC)))
    after = await patrol_status(first, lambda s: s.level is WarningLevel.red and "patrol" in s.breaches)
    assert after.patrol_due == after.opened_at + timedelta(hours=1), "red: 1 h from the same dispatch"
    third = await patrol_status(patrol(rain, warning, 3), lambda s: s.level is WarningLevel.red)
    assert third.response_due < before.response_due + timedelta(minutes=30), "an unaccepted patrol is tightened too"
    assert {"street_lead_alert", "district_supervision"} <= set(kinds(rain, first.id)), "passed rungs fire at once"

    await warning.signal(HeavyRainWarningWorkflow.change_level, LevelChange(level=WarningLevel.yellow, at=datetime.now(UTC)))
    await warning_status(warning, lambda s: s.level is WarningLevel.yellow)
    assert (await first.query(RiskPointPatrolWorkflow.status)).level is WarningLevel.red, "never relaxed mid-patrol"


async def test_lift_stands_down_unaccepted_patrols_and_waits_for_the_rest(rain):
    warning = await issue(rain, JLP_ONLY, WarningLevel.yellow, points=3)
    first, third = patrol(rain, warning, 1), patrol(rain, warning, 3)
    await patrol_status(third, lambda s: s.stage is Stage.awaiting_response)
    await patrol_status(first, lambda s: s.stage is Stage.awaiting_response)
    await accept(first, FLOOD_XJW)
    await patrol_status(first, lambda s: s.stage is Stage.patrolling)

    await lift(warning)
    stood_down = await third.result()
    assert stood_down.stood_down and stood_down.outcome.startswith("stood down")
    status = await warning_status(warning, lambda s: s.counts.get(PointState.stood_down) == 1)
    assert status.stage is Stage.monitoring and status.lifted_at is not None, "a patrol under way keeps the warning open"
    with pytest.raises(RPCError, match="not found"):
        await accept(third, FLOOD_XJW)  # the stood-down patrol is closed

    await report(first, FLOOD_XJW, "safe")
    final = await warning.result()
    assert final.stage is Stage.closed
    assert (final.counts[PointState.safe], final.counts[PointState.stood_down]) == (1, 1)


async def test_validators_refuse_wrong_actor_or_stage_and_record_nothing(rain):
    warning = await issue(rain, JLP_ONLY, WarningLevel.orange, points=3)
    first = patrol(rain, warning, 1)
    before = await patrol_status(first, lambda s: s.stage is Stage.awaiting_response)
    refusals = []
    for attempt in (
        report(first, FLOOD_XJW, "safe"),  # not accepted yet
        accept(first, FLOOD_XLK),  # another street's inspector
    ):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await attempt
        refusals.append(str(refused.value.cause))
    assert "stage awaiting_response" in refusals[0] and "is not assigned" in refusals[1]
    await accept(first, FLOOD_XJW)
    await patrol_status(first, lambda s: s.stage is Stage.patrolling)
    await report(first, FLOOD_XJW, "hazard")
    await patrol_status(first, lambda s: s.stage is Stage.hazard)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await report(first, FLOOD_XJW, "hazard")
    assert "already reported" in str(refused.value.cause)
    after = await first.query(RiskPointPatrolWorkflow.status)
    assert len(after.reports) == 1
    assert len([t for t in after.timeline if t.action.startswith("reported")]) == 1
    assert before.timeline == after.timeline[: len(before.timeline)]
