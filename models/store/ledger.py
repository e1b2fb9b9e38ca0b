"""The case ledger: one row per case per tier, the record each tier's centre reads.

Temporal holds a case's live state; the ledger is what a street, district or city centre
lists and reports on after the fact (the article's "result flows back to all three
tiers"). A case is written once per tier it touched, keyed (case_id, tier), so an
activity retried after a crash rewrites the same row instead of adding one.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, Session, SQLModel

from models.store.types import UTCDateTime
from models.store.upsert import upsert

CITY_UNIT_CODE = "CITY"


class CaseLedgerEntry(SQLModel, table=True):
    __tablename__ = "case_ledger"
    __table_args__ = (
        UniqueConstraint("case_id", "tier", name="uq_case_ledger_case_tier"),
        CheckConstraint("tier IN ('street', 'district', 'city')", name="ck_case_ledger_tier"),
        Index("ix_case_ledger_unit", "tier", "unit_code", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(index=True)
    workflow_id: str
    scenario: str
    tier: str
    unit_code: str = Field(description='street code, district code, or "CITY"')
    violation: str | None = None
    plate: str | None = Field(default=None, index=True)
    outcome: str
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


def record_case_outcome(session: Session, entries: Iterable[CaseLedgerEntry]) -> None:
    """Write each tier's view of a case; rewriting an entry replaces it, never duplicates.

    `opened_at` is kept from the first write: a retry or a later update (e.g. closure)
    must not move when the case was opened.
    """
    rows = [entry.model_dump(exclude={"id"}) for entry in entries]
    upsert(session, CaseLedgerEntry, rows, keys=("case_id", "tier"), keep=("opened_at",))
