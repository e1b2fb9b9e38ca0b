"""The same truck seen again for the same violation joins the open case as evidence; the
same event sent many times at once is applied once; a sighting after the window opens a
new case. Run on the real dev server: id reuse and update-with-start are server semantics."""

import asyncio
from datetime import timedelta

from api.intake import submit_muck_truck_event
from models.case import Violation
from models.policy import MuckTruckPolicy
from tests.casebook import PLATE_LOCAL
from tests.workflows.conftest import wait_for
from workflows.muck_truck import MuckTruckCaseWorkflow

POLICY = MuckTruckPolicy()


async def test_second_sighting_joins_the_open_case_with_its_evidence(dev_stack):
    first = dev_stack.event(PLATE_LOCAL)
    second = dev_stack.event(PLATE_LOCAL).model_copy(update={"observed_at": first.observed_at + timedelta(minutes=40)})
    opened = await submit_muck_truck_event(dev_stack.client, first, POLICY)
    joined = await submit_muck_truck_event(dev_stack.client, second, POLICY)
    assert not opened.joined_existing and joined.joined_existing
    assert joined.case_id == opened.case_id
    handle = dev_stack.client.get_workflow_handle(opened.case_id)
    dev_stack._opened.append(handle)
    status = await wait_for(handle, lambda s: len(s.evidence) == 2)
    assert {e.observed_at for e in status.evidence} == {first.observed_at, second.observed_at}
    assert len({e.sha256 for e in status.evidence}) == 2


async def test_hundred_copies_of_one_event_make_one_case_and_one_evidence(dev_stack):
    event = dev_stack.event(PLATE_LOCAL, violation=Violation.spillage)
    receipts = await asyncio.gather(*(submit_muck_truck_event(dev_stack.client, event, POLICY) for _ in range(100)))
    assert len({r.case_id for r in receipts}) == 1
    handle = dev_stack.client.get_workflow_handle(receipts[0].case_id)
    dev_stack._opened.append(handle)
    status = await wait_for(handle, lambda s: s.officer is not None)
    assert len(status.evidence) == 1
    assert [t.action for t in status.timeline].count("sighting joined") == 0


async def test_sighting_outside_the_window_opens_a_new_case(dev_stack):
    first = dev_stack.event(PLATE_LOCAL, violation=Violation.uncovered)
    later = dev_stack.event(PLATE_LOCAL, violation=Violation.uncovered).model_copy(
        update={"observed_at": first.observed_at + POLICY.dedup_window + timedelta(minutes=1)}
    )
    a = await submit_muck_truck_event(dev_stack.client, first, POLICY)
    b = await submit_muck_truck_event(dev_stack.client, later, POLICY)
    for receipt in (a, b):
        dev_stack._opened.append(dev_stack.client.get_workflow_handle(receipt.case_id))
    assert a.case_id != b.case_id and not b.joined_existing


async def test_another_violation_by_the_same_truck_is_its_own_case(dev_stack):
    a = await submit_muck_truck_event(dev_stack.client, dev_stack.event(PLATE_LOCAL, violation=Violation.speeding), POLICY)
    b = await submit_muck_truck_event(dev_stack.client, dev_stack.event(PLATE_LOCAL, violation=Violation.overloading), POLICY)
    for receipt in (a, b):
        dev_stack._opened.append(dev_stack.client.get_workflow_handle(receipt.case_id))
    assert a.case_id != b.case_id
    status = await dev_stack.client.get_workflow_handle(a.case_id).query(MuckTruckCaseWorkflow.status)
    assert status.violation is Violation.speeding
