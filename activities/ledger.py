"""Closure writes: each tier's worker records the case in that tier's ledger."""

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.logs import case_logger
from models.steps import LedgerWrite
from models.store import CaseLedgerEntry, record_case_outcome, session_scope


class LedgerActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="record_outcome")
    def record_outcome(self, write: LedgerWrite) -> None:
        entry = CaseLedgerEntry(**write.model_dump(exclude={"tier"}), tier=write.tier.value)
        with session_scope(self.engine) as session:
            record_case_outcome(session, [entry])
        case_logger("closure").info("ledger written", unit=write.unit_code, outcome=write.outcome)
