"""Every branch of the muck-truck case on time-skipping Temporal: manual triage, the city
confirming a cross-district case or the case auto-routing, the response and disposal
ladders, and a disposal returned by the district."""

from datetime import timedelta

from sqlmodel import Session, select

from models.case import (
    AcceptCommand,
    Actor,
    ConfirmCrossDistrictCommand,
    DisposalCommand,
    DisposalReport,
    ReturnCommand,
    Role,
    Stage,
    TriageCommand,
    VerifyCommand,
)
from models.store import CaseLedgerEntry, OutboxMessage
from tests.casebook import (
    FAR_OFFICER,
    JIULONGPO,
    NEAR_OFFICER,
    PLATE_CROSS,
    PLATE_LOCAL,
    PLATE_NONE,
    SHAPINGBA,
    SITE_LOCAL,
    SPB_OFFICER,
    XIAOLONGKAN,
    XIEJIAWAN,
)
from tests.workflows.conftest import wait_for
from workflows.muck_truck import MuckTruckCaseWorkflow

JLP_STAFF = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)
SPB_STAFF = Actor(role=Role.district, id="spb-duty", unit_code=SHAPINGBA)
CITY = Actor(role=Role.city, id="city-duty", unit_code="CITY")


def officer(officer_id: str, street: str = XIEJIAWAN) -> Actor:
    return Actor(role=Role.officer, id=officer_id, unit_code=street)


def kinds(stack, case_id: str) -> list[str]:
    with Session(stack.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all()
        return [row.kind for row in rows]


async def finish(handle, officer_actor: Actor, district: Actor, outcome="已处置"):
    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer_actor))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    await handle.execute_update(
        MuckTruckCaseWorkflow.report_disposal,
        DisposalCommand(actor=officer_actor, report=DisposalReport(outcome=outcome)),
    )
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=district))
    return await handle.result()


async def test_no_permit_is_triaged_by_hand_by_the_district(stack):
    handle = await stack.open_case(stack.event(PLATE_NONE))
    status = await wait_for(handle, lambda s: s.stage is Stage.triage and any("no valid" in t.action for t in s.timeline))
    assert status.source_site is None
    assert "decision_triage" in kinds(stack, status.case_id), "the district centre was asked"

    await handle.execute_update(MuckTruckCaseWorkflow.triage, TriageCommand(actor=JLP_STAFF, site_id=SITE_LOCAL))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    assert status.source_site.site_id == SITE_LOCAL
    assert status.source_site.found_by == "manual triage by district:jlp-duty"
    assert not status.breaches
    final = await finish(handle, officer(NEAR_OFFICER), JLP_STAFF)
    assert final.stage is Stage.closed


async def test_triage_breach_escalates_to_the_city(stack):
    handle = await stack.open_case(stack.event(PLATE_NONE))
    await wait_for(handle, lambda s: s.stage is Stage.triage and "decision_triage" in kinds(stack, s.case_id))
    await stack.env.sleep(timedelta(minutes=4))
    status = await wait_for(handle, lambda s: "triage" in s.breaches and "city_supervision" in kinds(stack, s.case_id))
    assert any(t.action == "escalated: supervise_city" for t in status.timeline)
    assert status.stage is Stage.triage, "a late triage still waits for the district"


async def test_unknown_site_in_triage_is_refused_and_nothing_recorded(stack):
    handle = await stack.open_case(stack.event(PLATE_NONE))
    before = await wait_for(handle, lambda s: any(t.action == "notified district" for t in s.timeline))
    error = await _refusal(handle.execute_update(MuckTruckCaseWorkflow.triage, TriageCommand(actor=JLP_STAFF, site_id="NOPE")))
    assert "not in the registry" in error
    after = await handle.query(MuckTruckCaseWorkflow.status)
    assert after.source_site is None and len(after.timeline) == len(before.timeline)


async def test_cross_district_case_is_confirmed_and_redispatched_by_the_city(stack):
    handle = await stack.open_case(stack.event(PLATE_CROSS))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_city)
    assert status.cross_district and status.camera.district_code == JIULONGPO
    assert status.source_site.place.district_code == SHAPINGBA

    refused = await _refusal(
        handle.execute_update(MuckTruckCaseWorkflow.confirm_cross_district, ConfirmCrossDistrictCommand(actor=JLP_STAFF))
    )
    assert "only the city" in refused
    await handle.execute_update(MuckTruckCaseWorkflow.confirm_cross_district, ConfirmCrossDistrictCommand(actor=CITY))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    assert status.responsible.street_code == XIAOLONGKAN and status.officer.officer_id == SPB_OFFICER
    assert any(t.action == "city confirmed and re-dispatched" for t in status.timeline)
    final = await finish(handle, officer(SPB_OFFICER, XIAOLONGKAN), SPB_STAFF)
    with Session(stack.engine) as session:
        rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == final.case_id)).all()
        assert {(r.tier, r.unit_code) for r in rows} == {("street", XIAOLONGKAN), ("district", SHAPINGBA), ("city", "CITY")}


async def test_cross_district_auto_routes_when_the_city_is_silent(stack):
    handle = await stack.open_case(stack.event(PLATE_CROSS))
    await wait_for(handle, lambda s: s.stage is Stage.awaiting_city)
    await stack.env.sleep(timedelta(minutes=16))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    auto = [t for t in status.timeline if t.action == "auto-routed"]
    assert auto and "no city confirmation within 0:15:00" in auto[0].note
    assert status.responsible.street_code == XIAOLONGKAN


async def test_response_breach_reminds_then_reassigns_then_alerts_the_lead(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    assert status.officer.officer_id == NEAR_OFFICER
    await stack.env.sleep(timedelta(minutes=21))
    await wait_for(handle, lambda s: any(t.action == "escalated: remind" for t in s.timeline))
    await stack.env.sleep(timedelta(minutes=10))
    status = await wait_for(handle, lambda s: s.officer.officer_id == FAR_OFFICER and "response" in s.breaches)
    assert status.past_officers == [NEAR_OFFICER]
    refused = await _refusal(handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer(NEAR_OFFICER))))
    assert "not assigned" in refused
    await stack.env.sleep(timedelta(minutes=15))
    await wait_for(handle, lambda s: "street_lead_alert" in kinds(stack, s.case_id))
    assert kinds(stack, status.case_id).count("assigned") == 2
    final = await finish(handle, officer(FAR_OFFICER), JLP_STAFF)
    assert final.breaches == ["response"]


async def test_disposal_breach_is_supervised_by_district_then_city(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer(NEAR_OFFICER)))
    status = await wait_for(handle, lambda s: s.stage is Stage.disposing)
    assert status.disposal_due - status.opened_at >= timedelta(days=7)
    await stack.env.sleep(timedelta(days=7, minutes=1))
    await wait_for(handle, lambda s: "disposal" in s.breaches and "district_supervision" in kinds(stack, s.case_id))
    assert "city_supervision" not in kinds(stack, status.case_id)
    await stack.env.sleep(timedelta(days=1))
    await wait_for(handle, lambda s: "city_supervision" in kinds(stack, s.case_id))
    final = await finish_disposal(handle)
    assert final.stage is Stage.closed and final.breaches == ["disposal"]


async def finish_disposal(handle):
    await handle.execute_update(
        MuckTruckCaseWorkflow.report_disposal,
        DisposalCommand(actor=officer(NEAR_OFFICER), report=DisposalReport(outcome="迟到的处置")),
    )
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=JLP_STAFF))
    return await handle.result()


async def test_returned_disposal_reopens_and_closes_after_redisposal(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    me = officer(NEAR_OFFICER)
    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=me))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    await handle.execute_update(
        MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=me, report=DisposalReport(outcome="口头警告"))
    )
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.return_case, ReturnCommand(actor=JLP_STAFF, reason="缺少处罚文书"))
    status = await wait_for(handle, lambda s: s.stage is Stage.disposing)
    assert status.returns == 1 and status.disposal is None
    await handle.execute_update(
        MuckTruckCaseWorkflow.report_disposal,
        DisposalCommand(actor=me, report=DisposalReport(outcome="罚款并清运", penalty_ref="渝九城罚〔2026〕002")),
    )
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=JLP_STAFF))
    final = await handle.result()
    assert final.outcome == "罚款并清运" and final.returns == 1
    assert [t.action for t in final.timeline].count("disposal reported") == 2


async def test_validators_reject_wrong_actor_or_stage_and_record_nothing(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    before = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    attempts = [
        (MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer(FAR_OFFICER)), "not assigned"),
        (MuckTruckCaseWorkflow.accept, AcceptCommand(actor=JLP_STAFF), "only the assigned officer"),
        (MuckTruckCaseWorkflow.verify, VerifyCommand(actor=JLP_STAFF), "needs verifying"),
        (
            MuckTruckCaseWorkflow.report_disposal,
            DisposalCommand(actor=officer(NEAR_OFFICER), report=DisposalReport(outcome="x")),
            "needs disposing",
        ),
        (MuckTruckCaseWorkflow.confirm_cross_district, ConfirmCrossDistrictCommand(actor=CITY), "needs awaiting_city"),
    ]
    for update, command, reason in attempts:
        assert reason in await _refusal(handle.execute_update(update, command))
    after = await handle.query(MuckTruckCaseWorkflow.status)
    assert after.timeline == before.timeline and after.stage is Stage.awaiting_response
    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer(NEAR_OFFICER)))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    refused = await _refusal(handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=SPB_STAFF)))
    assert "needs verifying" in refused


async def test_transfer_moves_the_case_to_another_street(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    from models.case import TransferCommand

    refused = await _refusal(
        handle.execute_update(MuckTruckCaseWorkflow.transfer, TransferCommand(actor=JLP_STAFF, street_code="500199999"))
    )
    assert "not in the directory" in refused
    await handle.execute_update(
        MuckTruckCaseWorkflow.transfer, TransferCommand(actor=JLP_STAFF, street_code=XIAOLONGKAN, note="工地实为沙坪坝")
    )
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response and s.officer.officer_id == SPB_OFFICER)
    assert status.responsible.street_code == XIAOLONGKAN and status.past_officers == [NEAR_OFFICER]
    final = await finish(handle, officer(SPB_OFFICER, XIAOLONGKAN), SPB_STAFF)
    assert final.stage is Stage.closed


async def _refusal(call) -> str:
    from temporalio.client import WorkflowUpdateFailedError

    try:
        await call
    except WorkflowUpdateFailedError as err:
        return str(err.cause)
    raise AssertionError("the update was accepted but should have been refused")
