"""Rows a running case writes: evidence custody, officer assignments and the outbox.

Each row has a natural key (case + sha256, the workflow's step key, the message key), so
an activity retried after a crash finds its earlier write instead of adding a second
assignment or a second notification.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.store.types import UTCDateTime


class EvidenceRecord(SQLModel, table=True):
    """Content-addressed evidence and its chain of custody (监管链)."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_evidence_case_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(index=True)
    sha256: str = Field(index=True, max_length=64)
    stored_uri: str
    source_uri: str = Field(sa_type=Text)
    camera_id: str = Field(index=True)
    observed_at: datetime = Field(sa_type=UTCDateTime)
    size_bytes: int
    media_type: str
    custody: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)


class Assignment(SQLModel, table=True):
    """One officer holding one case; open rows are the officer's workload."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_officer_status", "officer_id", "status"),)

    step_key: str = Field(primary_key=True)
    case_id: str = Field(index=True)
    officer_id: str = Field(foreign_key="officers.id")
    street_code: str
    assigned_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="open", description="open | closed")
    outcome: str | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    distance_m: float
    open_cases_at_assignment: int
    on_duty: bool


class OutboxMessage(SQLModel, table=True):
    """A notification recorded before it is delivered, delivered at most once per key."""

    __tablename__ = "outbox"

    key: str = Field(primary_key=True)
    case_id: str = Field(index=True)
    recipient_role: str
    recipient_id: str = Field(index=True)
    kind: str
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
