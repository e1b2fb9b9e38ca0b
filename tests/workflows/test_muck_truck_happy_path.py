"""The whole loop: camera alert → permit → same-district street → accept → dispose →
verify → closed, with every tier's ledger written once."""

from sqlmodel import Session, select

from models.case import AcceptCommand, Actor, DisposalCommand, DisposalReport, Role, Stage, VerifyCommand
from models.store import Assignment, CaseLedgerEntry, EvidenceRecord, OutboxMessage
from tests.casebook import JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, SITE_LOCAL, XIEJIAWAN
from tests.workflows.conftest import wait_for
from workflows.muck_truck import MuckTruckCaseWorkflow

OFFICER = Actor(role=Role.officer, id=NEAR_OFFICER, unit_code=XIEJIAWAN)
DISTRICT = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)


async def test_case_closes_the_loop_across_three_tiers(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL))
    status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)
    assert status.source_site.site_id == SITE_LOCAL and status.source_site.found_by == "permit"
    assert not status.cross_district
    assert status.responsible.street_code == XIEJIAWAN
    assert status.officer.officer_id == NEAR_OFFICER, "the nearest on-duty officer gets it"

    await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=OFFICER))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    report = DisposalReport(outcome="责令清运并罚款", penalty_ref="渝九城罚〔2026〕001")
    await handle.execute_update(MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=OFFICER, report=report))
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=DISTRICT))
    final = await handle.result()

    assert final.stage is Stage.closed and final.outcome == "责令清运并罚款"
    assert not final.breaches
    with Session(stack.engine) as session:
        ledger = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == final.case_id)).all()
        assert {(row.tier, row.unit_code) for row in ledger} == {
            ("street", XIEJIAWAN),
            ("district", JIULONGPO),
            ("city", "CITY"),
        }
        assert all(row.details["penalty_ref"] == "渝九城罚〔2026〕001" for row in ledger)
        evidence = session.exec(select(EvidenceRecord).where(EvidenceRecord.case_id == final.case_id)).all()
        assert len(evidence) == 1 and evidence[0].sha256 == final.evidence[0].sha256
        stored = stack.settings.evidence_dir / "sha256" / evidence[0].sha256[:2]
        assert any(stored.rglob(evidence[0].sha256))
        assignment = session.exec(select(Assignment).where(Assignment.case_id == final.case_id)).one()
        assert assignment.status == "closed" and assignment.outcome == "closed"
        outbox = session.exec(select(OutboxMessage).where(OutboxMessage.case_id == final.case_id)).all()
        assert [m.kind for m in outbox if m.recipient_id == NEAR_OFFICER] == ["assigned"]
        assert all(m.delivered_at is not None for m in outbox)


async def test_no_violation_is_dismissed_and_recorded(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL, violation=None))
    final = await handle.result()
    assert final.stage is Stage.dismissed and final.outcome.startswith("dismissed")
    with Session(stack.engine) as session:
        rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == final.case_id)).all()
        assert [(r.tier, r.unit_code) for r in rows] == [("district", JIULONGPO)]


async def test_low_confidence_alert_is_dismissed(stack):
    handle = await stack.open_case(stack.event(PLATE_LOCAL, confidence=0.3))
    final = await handle.result()
    assert final.stage is Stage.dismissed
    assert "below the policy minimum" in final.outcome
