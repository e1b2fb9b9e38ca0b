from sqlmodel import Session, select

from models.store import AuditEntry
from tests.api.conftest import api, case_settings, dev_env, dev_stack  # noqa: F401  (shared fixtures)


def audit_rows(api) -> list[AuditEntry]:
    """Every refusal the app under test has audited, oldest first."""
    with Session(api.stack.engine) as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))
