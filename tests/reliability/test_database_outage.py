"""The database goes away while a case is running: activities fail, Temporal retries them,
and once PostgreSQL takes connections again the case carries on — with every write made
exactly once (nothing half-written, nothing doubled)."""

import asyncio
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from models.case import AcceptCommand, Actor, DisposalCommand, DisposalReport, Role, Stage, VerifyCommand
from models.settings import Settings
from models.store import Assignment, CaseLedgerEntry, EvidenceRecord, make_engine
from models.store.migrate import upgrade
from tests.casebook import JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN, load_casebook
from tests.conftest import PG_ADMIN_URL
from tests.workflows.conftest import running_stack, wait_for
from workflows.muck_truck import MuckTruckCaseWorkflow

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
OFFICER = Actor(role=Role.officer, id=NEAR_OFFICER, unit_code=XIEJIAWAN)
DISTRICT = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)


@pytest.fixture
def pg_settings(tmp_path, create_database) -> Settings:
    url = create_database("postgres")
    upgrade(url)
    load_casebook(make_engine(url))
    return Settings(home=tmp_path / "home", database_url=url)


@contextmanager
def database_down(url: str):
    """Refuse new connections to the database and cut the open ones, like a failover."""
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        for _ in range(100):  # termination is signalled, not awaited: wait until they are gone
            alive = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            if alive.scalar() == 0:
                break
            time.sleep(0.05)
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


async def failed_attempts(handle, activity_type: str, at_least: int, timeout_s: float = 60) -> None:
    """Wait until the server reports the activity on its `at_least`-th attempt (it failed before)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        description = await handle.describe()
        for pending in description.raw_description.pending_activities:
            if pending.activity_type.name == activity_type and pending.attempt >= at_least:
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{activity_type} never reached attempt {at_least}")


async def attempts_of(handle, activity_type: str) -> list[int]:
    attempts, scheduled = [], None
    async for event in handle.fetch_history_events():
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes.activity_type.name
        if event.HasField("activity_task_started_event_attributes") and scheduled == activity_type:
            attempts.append(event.activity_task_started_event_attributes.attempt)
    return attempts


async def test_activities_retry_through_a_database_outage(dev_env, pg_settings):
    async with running_stack(dev_env, pg_settings) as stack:
        with database_down(pg_settings.resolved_database_url):
            handle = await stack.open_case(stack.event(PLATE_LOCAL))
            await failed_attempts(handle, "detect", at_least=2)  # stays down until detection has failed
            assert (await handle.query(MuckTruckCaseWorkflow.status)).stage is Stage.detecting
        await wait_for(handle, lambda s: s.stage is Stage.awaiting_response, timeout=60)
        assert max(await attempts_of(handle, "detect")) > 1, "detection was retried"

        await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=OFFICER))
        await wait_for(handle, lambda s: s.stage is Stage.disposing)
        await handle.execute_update(
            MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=OFFICER, report=DisposalReport(outcome="已处置"))
        )
        await wait_for(handle, lambda s: s.stage is Stage.verifying)
        with database_down(pg_settings.resolved_database_url):
            await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=DISTRICT))
            await asyncio.sleep(3)  # closure (assignment release, ledger writes) fails meanwhile
            back_up = datetime.now(UTC)
        final = await handle.result()

    assert final.stage is Stage.closed
    written = next(entry.at for entry in final.timeline if entry.action == "outcome written")
    assert written >= back_up, "closure could only finish once the database was back"
    with Session(make_engine(pg_settings.resolved_database_url)) as session:
        ledger = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == final.case_id)).all()
        assert sorted(r.tier for r in ledger) == ["city", "district", "street"]
        assert len(session.exec(select(EvidenceRecord).where(EvidenceRecord.case_id == final.case_id)).all()) == 1
        assignments = session.exec(select(Assignment).where(Assignment.case_id == final.case_id)).all()
        assert len(assignments) == 1 and assignments[0].status == "closed"
