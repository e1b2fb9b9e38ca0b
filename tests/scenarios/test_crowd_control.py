"""人流管控 on time-skipping Temporal: counts over 80 % of capacity open a place's case,
100 % and 120 % escalate it to the district and the city with their own deadlines, and
the case closes only after the crowd stayed under 80 % for the calm period — a count
flapping around the threshold keeps one case open."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from models import task_queues
from models.case import AcceptCommand, Actor, Place, Role, Stage
from models.crowd import CrowdCount, CrowdInput, CrowdLevel, DensePlaceRef, MeasureCommand
from models.store import CaseLedgerEntry, OutboxMessage
from tests.casebook import JIULONGPO, XIEJIAWAN
from tests.scenarios.heavy_rain_helpers import until
from tests.scenarios.scenebook import CROWD_XJW, PLACE, PLACE_CAPACITY, load_scenebook
from workflows.crowd_control import CrowdControlWorkflow

STAFF = Actor(role=Role.officer, id=CROWD_XJW)
SQUARE = DensePlaceRef(
    place_id=PLACE,
    name="谢家湾测试广场",
    capacity=PLACE_CAPACITY,
    place=Place(lon=106.5235, lat=29.5225, district_code=JIULONGPO, district_name="九龙坡区", street_code=XIEJIAWAN, street_name="谢家湾街道"),
)


class Venue:
    """The venue's counting system, pushing counts the way the API does."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.handle = stack.client.get_workflow_handle_for(CrowdControlWorkflow.run, f"crowd-{PLACE}-{id(self)}")
        stack._opened.append(self.handle)

    async def push(self, percent: int) -> None:
        reading = CrowdCount(place_id=PLACE, count=PLACE_CAPACITY * percent // 100, observed_at=await self.stack.env.get_current_time())
        if percent >= 80:
            await self.stack.client.start_workflow(
                CrowdControlWorkflow.run, CrowdInput(place=SQUARE), id=self.handle.id, task_queue=task_queues.DISTRICT,
                start_signal="count", start_signal_args=[reading],
            )
        else:
            try:
                await self.handle.signal(CrowdControlWorkflow.count, reading)
            except RPCError as err:
                assert err.status is RPCStatusCode.NOT_FOUND  # no open case: nothing to tell

    async def status(self, predicate):
        return await until(self.handle, CrowdControlWorkflow.status, predicate)


@pytest.fixture
def venue(stack) -> Venue:
    load_scenebook(stack.engine, risk_points=0)
    return Venue(stack)


def sent(stack, case_id: str) -> list[str]:
    with Session(stack.engine) as session:
        return [row.kind for row in session.exec(select(OutboxMessage).where(OutboxMessage.case_id == case_id))]


async def on_site(venue: Venue):
    status = await venue.status(lambda s: s.stage is Stage.awaiting_response)
    assert status.officer.officer_id == CROWD_XJW, "crowd-control staff first"
    await venue.handle.execute_update(CrowdControlWorkflow.accept, AcceptCommand(actor=STAFF))
    return await venue.status(lambda s: s.stage is Stage.controlling)


async def test_rising_crowd_escalates_to_district_then_closes_after_the_calm_period(venue):
    await venue.push(85)
    opened = await on_site(venue)
    assert opened.level is CrowdLevel.warn and opened.case_id.startswith(f"{venue.handle.id}-")

    await venue.push(105)
    restrict = await venue.status(lambda s: s.level is CrowdLevel.restrict and s.stage is Stage.awaiting_response)
    assert "decision_awaiting_response" in sent(venue.stack, restrict.case_id), "the district centre is told"
    await venue.handle.execute_update(CrowdControlWorkflow.report_measure, MeasureCommand(actor=STAFF, level=CrowdLevel.restrict))
    await venue.status(lambda s: s.stage is Stage.controlling)

    await venue.push(60)
    await venue.stack.env.sleep(timedelta(minutes=31))
    closed = await venue.handle.result()
    assert closed.stage is Stage.closed and closed.peak_ratio == 1.05 and not closed.breached
    with Session(venue.stack.engine) as session:
        rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == closed.case_id)).all()
        assert {(r.tier, r.unit_code) for r in rows} == {("street", XIEJIAWAN), ("district", JIULONGPO)}


async def test_flapping_around_the_threshold_keeps_one_case_open(venue):
    await venue.push(85)
    opened = await on_site(venue)
    for _ in range(6):  # an hour of 75 % / 85 % every ten minutes
        await venue.push(75)
        await venue.stack.env.sleep(timedelta(minutes=5))
        await venue.push(85)
        await venue.stack.env.sleep(timedelta(minutes=5))
    flapping = await venue.status(lambda s: s.readings == 13)
    assert flapping.stage is Stage.controlling and flapping.case_id == opened.case_id
    assert flapping.calm_since is None

    await venue.push(70)
    await venue.stack.env.sleep(timedelta(minutes=31))
    first = await venue.handle.result()
    assert first.readings == 14

    await venue.push(90)  # a new crowd, after the calm: a new case with its own id
    second = await venue.status(lambda s: s.case_id != first.case_id and s.readings == 1)
    assert second.stage in (Stage.assigning, Stage.awaiting_response)


async def test_evacuation_not_reported_in_time_is_supervised_by_the_city(venue):
    await venue.push(125)
    await venue.status(lambda s: s.stage is Stage.awaiting_response)
    await venue.handle.execute_update(CrowdControlWorkflow.accept, AcceptCommand(actor=STAFF))
    evacuate = await venue.status(lambda s: s.level is CrowdLevel.evacuate and "decision_awaiting_response" in sent(venue.stack, s.case_id))
    await venue.stack.env.sleep(timedelta(minutes=6))
    breached = await venue.status(lambda s: "awaiting_response" in s.breaches)
    assert "city_supervision" in sent(venue.stack, evacuate.case_id)
    assert breached.measures_in_place is None


async def test_validators_refuse_measures_out_of_turn_and_record_nothing(venue):
    await venue.push(85)
    waiting = await venue.status(lambda s: s.stage is Stage.awaiting_response)
    attempts = [
        (CrowdControlWorkflow.report_measure, MeasureCommand(actor=STAFF, level=CrowdLevel.restrict), "must be on site"),
        (CrowdControlWorkflow.accept, AcceptCommand(actor=Actor(role=Role.officer, id="OF-XJW-1")), "is not assigned"),
    ]
    for update, command, reason in attempts:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await venue.handle.execute_update(update, command)
        assert reason in str(refused.value.cause)
    await venue.handle.execute_update(CrowdControlWorkflow.accept, AcceptCommand(actor=STAFF))
    await venue.status(lambda s: s.stage is Stage.controlling)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await venue.handle.execute_update(CrowdControlWorkflow.report_measure, MeasureCommand(actor=STAFF, level=CrowdLevel.evacuate))
    assert "not called for" in str(refused.value.cause)
    after = await venue.handle.query(CrowdControlWorkflow.status)
    assert after.measures_in_place is None
    assert [t.action for t in after.timeline if "in place" in t.action] == []
    assert waiting.timeline == after.timeline[: len(waiting.timeline)]
