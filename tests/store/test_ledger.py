from datetime import UTC, datetime, timedelta, timezone

from sqlmodel import select

from models.store import CaseLedgerEntry, record_case_outcome, session_scope

CHONGQING = timezone(timedelta(hours=8))
OPENED = datetime(2026, 1, 1, 22, 15, tzinfo=CHONGQING)


def entry(case_id: str, tier: str = "street", **changes) -> CaseLedgerEntry:
    fields = dict(
        case_id=case_id,
        workflow_id=f"muck_truck-{case_id}",
        scenario="muck_truck",
        tier=tier,
        unit_code="500107003",
        violation="overload",
        plate="渝A·12345",
        outcome="dispatched",
        opened_at=OPENED,
        details={"officer_id": "OFF-1"},
    )
    return CaseLedgerEntry(**(fields | changes))


def rows_for(engine, case_id: str) -> list[CaseLedgerEntry]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(CaseLedgerEntry)
            .where(CaseLedgerEntry.case_id == case_id)
            .order_by(CaseLedgerEntry.tier)
        ).all()
        session.expunge_all()
        return list(rows)


def test_the_same_entry_written_twice_is_one_row(engine):
    for _ in range(2):
        with session_scope(engine) as session:
            record_case_outcome(session, [entry("case-twice")])
    (row,) = rows_for(engine, "case-twice")
    assert row.outcome == "dispatched"
    assert row.details == {"officer_id": "OFF-1"}


def test_a_later_write_updates_the_row_but_keeps_when_it_was_opened(engine):
    with session_scope(engine) as session:
        record_case_outcome(session, [entry("case-closed")])
    closed_at = OPENED + timedelta(hours=3)
    with session_scope(engine) as session:
        record_case_outcome(
            session,
            [entry("case-closed", outcome="disposed", closed_at=closed_at,
                   opened_at=OPENED + timedelta(hours=1))],
        )
    (row,) = rows_for(engine, "case-closed")
    assert row.outcome == "disposed"
    assert row.opened_at == OPENED
    assert row.closed_at == closed_at
    assert row.closed_at.tzinfo is not None and row.closed_at.utcoffset() == timedelta(0)


def test_each_tier_has_its_own_row(engine):
    with session_scope(engine) as session:
        record_case_outcome(
            session,
            [entry("case-tiers"), entry("case-tiers", "district", unit_code="500107"),
             entry("case-tiers", "city", unit_code="CITY")],
        )
    assert [row.tier for row in rows_for(engine, "case-tiers")] == ["city", "district", "street"]


def test_times_come_back_as_the_same_instant_in_utc(engine):
    with session_scope(engine) as session:
        record_case_outcome(session, [entry("case-utc")])
    (row,) = rows_for(engine, "case-utc")
    assert row.opened_at == OPENED
    assert row.opened_at.tzinfo == UTC
