"""The audit log: every refused API call (401 unauthenticated, 403 unauthorised), so a
supervisor can see who tried what on which case, and why it was refused.

Rows are only ever added. Text that came from the caller (path, case id) is clipped and
stripped of control characters first: a denial must always be recordable, whatever the
caller sent.
"""

import re
from datetime import UTC, datetime

from sqlalchemy import Index
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from models.store.engine import session_scope
from models.store.types import UTCDateTime

MAX_TEXT = 1000
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject_at", "subject", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=lambda: datetime.now(UTC), sa_type=UTCDateTime, index=True)
    status: int = Field(description="401 (no valid token) or 403 (not allowed)")
    subject: str | None = Field(default=None, description="the token's sub; null when no signed token")
    role: str | None = None
    unit: str | None = None
    method: str
    path: str
    action: str | None = Field(default=None, description="the case action, or the route's name")
    case_id: str | None = Field(default=None, index=True)
    reason: str


def record_denial(engine: Engine, entry: AuditEntry) -> None:
    for name in ("path", "case_id", "reason", "subject", "unit", "action"):
        value = getattr(entry, name)
        if value is not None:
            setattr(entry, name, CONTROL.sub("\ufffd", value)[:MAX_TEXT])
    with session_scope(engine) as session:
        session.add(entry)
