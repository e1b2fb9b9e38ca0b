"""The relational store: directory, registries and case ledger as sqlmodel tables.

Importing this package registers every table on `SQLModel.metadata`, which is what the
Alembic migrations are generated from. Constraint names follow one convention (set before
any table is defined) so a later migration can drop or alter them by name on both SQLite
(batch mode rebuilds tables and needs the names) and PostgreSQL.
"""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Table modules are imported after the convention is set, hence not at the top.
from models.store.audit import AuditEntry  # noqa: E402
from models.store.casework import Assignment, EvidenceRecord, OutboxMessage  # noqa: E402
from models.store.dense_places import DensePlace  # noqa: E402
from models.store.directory import DistrictRow, HandlingUnitRow, StreetRow  # noqa: E402
from models.store.engine import default_engine, make_engine, session_scope  # noqa: E402
from models.store.ledger import CaseLedgerEntry, record_case_outcome  # noqa: E402
from models.store.milestones import CaseMilestoneRow  # noqa: E402
from models.store.risk_points import RiskPoint  # noqa: E402
from models.store.registry import (  # noqa: E402
    Camera,
    ConstructionSite,
    DutyShift,
    MuckTruck,
    Officer,
    TransportPermit,
)
from models.vision.tables import CameraSection, PlateSighting, RestrictedZone  # noqa: E402,F401  (vision rules)

__all__ = [
    "AuditEntry",
    "Assignment",
    "EvidenceRecord",
    "OutboxMessage",
    "Camera",
    "CaseLedgerEntry",
    "CaseMilestoneRow",
    "ConstructionSite",
    "DensePlace",
    "DistrictRow",
    "DutyShift",
    "HandlingUnitRow",
    "MuckTruck",
    "Officer",
    "StreetRow",
    "TransportPermit",
    "default_engine",
    "make_engine",
    "RiskPoint",
    "record_case_outcome",
    "session_scope",
]
