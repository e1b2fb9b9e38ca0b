"""Stop the Temporal dev server (SQLite file) with open cases and running timers, start it
again: every timer fires, every case completes. Real seconds, real server, real store."""

import asyncio
import socket
import subprocess
import sys
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from temporalio.client import Client

from models import task_queues
from models.case import AcceptCommand, Actor, DisposalCommand, DisposalReport, Role, Stage, VerifyCommand
from models.policy import LadderAction, LadderStep, MuckTruckPolicy, StageDeadline
from models.store import CaseLedgerEntry, OutboxMessage, make_engine
from models.temporal_client import connect
from tests.casebook import FAR_OFFICER, JIULONGPO, NEAR_OFFICER, PLATE_LOCAL, XIEJIAWAN
from tests.workflows.conftest import Stack, wait_for
from workers.search_attributes import register_search_attributes
from workers.tiers import build_workers
from workflows.muck_truck import MuckTruckCaseWorkflow

TEMPORAL = Path(sys.executable).parent / "temporal"
FAST = MuckTruckPolicy(
    response=StageDeadline(
        within=timedelta(seconds=4),
        ladder=[LadderStep(action=LadderAction.reassign, at=timedelta(seconds=4))],
    ),
    disposal=StageDeadline(
        within=timedelta(seconds=5),
        ladder=[LadderStep(action=LadderAction.supervise_district, at=timedelta(seconds=5))],
    ),
)
DISTRICT = Actor(role=Role.district, id="jlp-duty", unit_code=JIULONGPO)


class DevServer:
    """`temporal server start-dev` on a SQLite file that outlives the process."""

    def __init__(self, db_file: Path, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.db_file, self.log = db_file, log
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [str(TEMPORAL), "server", "start-dev", "--ip", "127.0.0.1", "--port", str(self.port)]
        command += ["--headless", "--db-filename", str(self.db_file), "--log-level", "error"]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    async def client(self) -> Client:
        for _ in range(200):
            try:
                return await connect(self.address, "default")
            except Exception:  # noqa: BLE001  (not listening yet)
                await asyncio.sleep(0.1)
        raise AssertionError(f"dev server did not start; see {self.log}")


def officer(officer_id: str) -> Actor:
    return Actor(role=Role.officer, id=officer_id, unit_code=XIEJIAWAN)


@pytest.mark.slow
async def test_timers_fire_and_cases_complete_after_a_server_restart(tmp_path, case_settings):
    server = DevServer(tmp_path / "temporal.db", tmp_path / "temporal.log")
    server.start()
    engine = make_engine(case_settings.resolved_database_url)
    try:
        client = await server.client()
        await register_search_attributes(client)
        async with AsyncExitStack() as running:
            for worker in build_workers(client, task_queues.ALL, engine, case_settings):
                await running.enter_async_context(worker)
            stack = Stack(client, case_settings, engine)
            waiting = await stack.open_case(stack.event(PLATE_LOCAL), FAST)
            disposing = await stack.open_case(stack.event(PLATE_LOCAL), FAST)
            await wait_for(waiting, lambda s: s.stage is Stage.awaiting_response)
            first = await wait_for(disposing, lambda s: s.stage is Stage.awaiting_response)
            await disposing.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer(first.officer.officer_id)))
            await wait_for(disposing, lambda s: s.stage is Stage.disposing)

            server.stop()  # both cases hold running timers (response 4 s, disposal 5 s)
            await asyncio.sleep(6)  # every timer comes due while the server is down
            server.start()

            reassigned = await wait_for(waiting, lambda s: s.officer.officer_id == FAR_OFFICER, timeout=60)
            assert reassigned.breaches == ["response"] and reassigned.past_officers == [NEAR_OFFICER]
            late = await wait_for(disposing, lambda s: "disposal" in s.breaches, timeout=60)
            with Session(engine) as session:
                kinds = session.exec(select(OutboxMessage.kind).where(OutboxMessage.case_id == late.case_id)).all()
            assert "district_supervision" in kinds

            await _finish(waiting, officer(FAR_OFFICER), already_accepted=False)
            await _finish(disposing, officer(first.officer.officer_id), already_accepted=True)
            for handle in (waiting, disposing):
                assert (await handle.result()).stage is Stage.closed
                with Session(engine) as session:
                    rows = session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == handle.id)).all()
                assert len(rows) == 3
    finally:
        server.stop()
        engine.dispose()


async def _finish(handle, actor: Actor, *, already_accepted: bool) -> None:
    if not already_accepted:
        await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=actor))
    await wait_for(handle, lambda s: s.stage is Stage.disposing)
    await handle.execute_update(
        MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=actor, report=DisposalReport(outcome="已处置"))
    )
    await wait_for(handle, lambda s: s.stage is Stage.verifying)
    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=DISTRICT))
