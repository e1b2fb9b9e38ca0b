"""Many cases through a whole simulated life under time skipping, and the SLA report they
produce: wall time for days of case time, and the figures ops would read.

The sample registry (seed 7, a site per two cases: each yields about three distinct
sightings) is loaded into a fresh SQLite store; every case is a
permitted truck seen in its own site's district, so an officer is assigned without a
human. Each case then follows a script drawn from a seeded generator, relative to its
own start: most officers accept within 25 min, some after the 30 min deadline (the case
is reassigned, the new officer accepts), a few never; most disposals come within 7 days,
some late, a few never; the district returns a tenth once before verifying. Case time
jumps from one scripted moment to the next (`env.sleep`), so a week of ladders, reminders
and supervision runs in wall-clock minutes. Cases run in shards of `SHARD`, each on a
fresh test server, all writing to one store, so the SLA report covers every case.

`python -m bench.lifecycle [--cases 10000]`
"""

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session
from temporalio.api.testservice.v1 import SleepRequest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from bench.cases import camera_event, machine, sightings, write_results
from models import task_queues
from models.case import (
    AcceptCommand,
    Actor,
    DisposalCommand,
    DisposalReport,
    MuckTruckCaseInput,
    ReturnCommand,
    Role,
    Stage,
    Tier,
    VerifyCommand,
)
from models.settings import Settings
from models.store import session_scope
from models.store.directory_load import load_directory
from models.store.engine import make_engine
from models.store.migrate import upgrade
from models.store.milestones import sla_report
from models.store.seed import seed_registry
from models.temporal_client import data_converter
from workers.frames import write_frame
from workers.search_attributes import register_search_attributes
from workers.tiers import build_workers
from workflows.muck_truck import MuckTruckCaseWorkflow

CASES = 10_000
SHARD = 1_000  # cases per test server: the Java test server stalled (both processes idle) with 10,000 open at once
SEED = 20261124
CONCURRENCY = 64
TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)
SKIP_TIMEOUT = timedelta(minutes=30)


@dataclass
class Script:
    """When (after the case opened) each human acts; None: never within the run."""

    accept: timedelta | None
    dispose: timedelta | None  # after acceptance
    returned: bool


def _tick_up(offset: timedelta, after: timedelta) -> timedelta:
    """Actions are rounded up to the minute within the first hour and to a quarter hour
    beyond, so thousands of cases share a few thousand time jumps rather than one each
    (each jump is a round trip to the test server). Rounding never crosses a deadline
    the script aims either side of: accepts are drawn ≤ 25 or ≥ 35 min, disposals
    ≤ 6.5 or ≥ 7.5 days."""
    tick = MINUTE if after < 60 * MINUTE else 15 * MINUTE
    return -(-offset // tick) * tick


def script(rng: random.Random) -> Script:
    draw = rng.random()
    accept = rng.uniform(5, 25) * MINUTE if draw < 0.80 else rng.uniform(35, 50) * MINUTE if draw < 0.95 else None
    draw = rng.random()
    dispose = rng.uniform(1, 6.5) * DAY if draw < 0.85 else rng.uniform(7.5, 9) * DAY if draw < 0.95 else None
    return Script(accept=accept, dispose=dispose if accept else None, returned=rng.random() < 0.10)


class Simulation:
    def __init__(self, env: WorkflowEnvironment, cases: int, now: datetime) -> None:
        self.env = env
        self.gate = asyncio.Semaphore(CONCURRENCY)
        self.agenda: list[tuple[datetime, int, str]] = []  # (when, case index, what)
        self.handles: list[WorkflowHandle | None] = [None] * cases
        self.opened: list[datetime] = [now] * cases
        self.now = self.begun = now

    async def act(self, index: int, what: str, script: Script) -> None:
        handle = self.handles[index]
        async with self.gate:
            status = await handle.query(MuckTruckCaseWorkflow.status)
            if status.officer is None:  # dismissed, or still waiting for a human before assignment
                return
            officer = Actor(role=Role.officer, id=status.officer.officer_id, unit_code=status.officer.street_code)
            district = Actor(role=Role.district, id="district-duty", unit_code=status.responsible.district_code)
            if what == "accept" and status.stage is Stage.awaiting_response:
                await handle.execute_update(MuckTruckCaseWorkflow.accept, AcceptCommand(actor=officer))
                if script.dispose is not None:
                    self.plan(index, "dispose", script.dispose)
            elif what == "dispose" and status.stage is Stage.disposing:
                report = DisposalReport(outcome="已清理路面并处罚")
                await handle.execute_update(MuckTruckCaseWorkflow.report_disposal, DisposalCommand(actor=officer, report=report))
                self.plan(index, "review", 4 * 60 * MINUTE)
            elif what == "review" and status.stage is Stage.verifying:
                if script.returned and not status.returns:
                    await handle.execute_update(MuckTruckCaseWorkflow.return_case, ReturnCommand(actor=district, reason="证据不全"))
                    self.plan(index, "dispose", DAY)
                else:
                    await handle.execute_update(MuckTruckCaseWorkflow.verify, VerifyCommand(actor=district))

    def plan(self, index: int, what: str, after: timedelta, since: datetime | None = None) -> None:
        """`after` counts from `since` (the case's opening for an accept) or from now."""
        offset = (since or self.now) + after - self.begun
        self.agenda.append((self.begun + _tick_up(offset, after), index, what))


async def simulate(cases: int) -> dict:
    if cases < 1:
        raise SystemExit("--cases must be at least 1")
    with tempfile.TemporaryDirectory(prefix="onething-lifecycle-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'store.db'}"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(engine) as session:
            load_directory(session)
            seed_registry(session, seed=7, sites=max(300, cases // 2), start=datetime.now(UTC).date())
        settings = Settings(home=Path(scratch) / "home", database_url=url, workflow_cache_size=SHARD + 100)
        pool = sightings(engine, datetime.now(UTC), cases)
        if len(pool) < cases:
            raise SystemExit(f"the sample registry yields {len(pool)} distinct sightings; ask for fewer --cases")
        frame = write_frame(settings.home / "snapshots", "lifecycle.png", seed=2)
        rng = random.Random(SEED)
        scripts = [script(rng) for _ in range(cases)]
        outcome: Counter[str] = Counter()
        wall_s, days = 0.0, 0.0
        for first in range(0, cases, SHARD):
            shard = range(first, min(first + SHARD, cases))
            stages, shard_wall, shard_days, as_of = await _shard(engine, settings, pool, scripts, shard, frame)
            outcome.update(stages)
            wall_s, days = wall_s + shard_wall, max(days, shard_days)
        with Session(engine) as session:  # every shard's cases: one store, one report
            report = sla_report(session, tier=Tier.city, code="CITY", since=None, until=None, as_of=as_of)
        engine.dispose()
    return {
        "cases": cases,
        "shards": -(-cases // SHARD),
        "wall_s": round(wall_s, 1),
        "cases_per_wall_s": round(cases / wall_s, 1),
        "simulated_days": round(days, 1),
        "stages_at_end": dict(outcome),
        "sla_city": report.scope.figures.model_dump(mode="json"),
        "sla_districts": len(report.breakdown),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),  # workers + every cached case
    }


async def _shard(engine, settings: Settings, pool, scripts: list[Script], shard: range, frame: Path):
    """One shard on a fresh test server: (stages at the end, wall s, simulated days, its clock at the end)."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=data_converter(settings)
    )
    async with env, AsyncExitStack() as workers:
        await register_search_attributes(env.client)
        for worker in build_workers(env.client, task_queues.ALL, engine, settings):
            await workers.enter_async_context(worker)
        began = time.monotonic()
        sim_began = await env.get_current_time()
        stages = await _drive(env, [pool[i] for i in shard], frame, [scripts[i] for i in shard], shard.start)
        wall_s = time.monotonic() - began
        as_of = await env.get_current_time()
    return stages, wall_s, (as_of - sim_began) / DAY, as_of


async def _drive(env: WorkflowEnvironment, pool, frame: Path, scripts: list[Script], first: int) -> dict[str, int]:
    cases = len(pool)
    sim = Simulation(env, cases, await env.get_current_time())

    async def start(index: int) -> None:
        async with sim.gate:
            sim.opened[index] = await env.get_current_time()  # the test server's clock runs while cases start
            event = camera_event(pool[index], sim.opened[index], frame)
            handle = await env.client.start_workflow(
                MuckTruckCaseWorkflow.run,
                MuckTruckCaseInput(first=event),
                id=f"lifecycle-{first + index}",
                task_queue=task_queues.WORKFLOWS,
            )
            sim.handles[index] = handle

    await asyncio.gather(*(start(i) for i in range(cases)))
    for index, plan in enumerate(scripts):
        if plan.accept is not None:
            sim.plan(index, "accept", plan.accept, since=sim.opened[index])
    while sim.agenda:
        sim.agenda.sort()
        due, _, _ = sim.agenda[0]
        sim.now = await env.get_current_time()
        if due > sim.now:
            await skip(env, due - sim.now)
            sim.now = await env.get_current_time()
        batch = [item for item in sim.agenda if item[0] <= sim.now]
        sim.agenda = [item for item in sim.agenda if item[0] > sim.now]
        await asyncio.gather(*(sim.act(index, what, scripts[index]) for _, index, what in batch))
    await skip(env, 2 * DAY)  # the last ladders (supervision) fire on what is left open
    stages: Counter[str] = Counter()
    for handle in sim.handles:
        async with sim.gate:
            stages[(await handle.query(MuckTruckCaseWorkflow.status)).stage.value] += 1
    return dict(stages)


async def skip(env: WorkflowEnvironment, duration: timedelta) -> None:
    """`env.sleep`, without its default RPC deadline: with thousands of cases a jump of
    days fires thousands of timers, and the test server answers once they have run."""
    request = SleepRequest()
    request.duration.FromTimedelta(duration)
    await env.client.test_service.unlock_time_skipping_with_sleep(request, timeout=SKIP_TIMEOUT)


def run(cases: int = CASES) -> dict:
    figures = {"machine": machine(), **asyncio.run(simulate(cases))}
    _write(figures)
    sla = figures["sla_city"]
    return {
        "lifecycle cases": cases,
        "lifecycle wall s": figures["wall_s"],
        "lifecycle closure rate": sla["closure_rate"],
        "lifecycle on-time response": sla["response"]["rate"],
        "lifecycle on-time disposal": sla["disposal"]["rate"],
    }


def _write(figures: dict) -> None:
    m, sla = figures["machine"], figures["sla_city"]

    def pct(value):
        return "—" if value is None else f"{value:.1%}"

    def span(stats):
        return "—" if stats["median_s"] is None else f"{stats['median_s']:,.0f} s / {stats['p90_s']:,.0f} s"

    lines = [
        "# Full case lifecycle under time skipping",
        "",
        f"{m['cpus']} cores, Python {m['python']} on {m['machine']}, {m['taken_at']}; load average "
        f"{m['loadavg_1m_at_start']} at start (shared machine). Shards of {SHARD:,} cases, each on a fresh "
        "Java time-skipping test server; workers for every tier in one process "
        f"(workflow sandbox {'on' if m['workflow_sandbox'] else 'off'}), "
        "one SQLite store for all shards.",
        "",
        f"**{figures['cases']:,} cases, {figures['simulated_days']} simulated days, {figures['wall_s']:,} s wall "
        f"({figures['cases_per_wall_s']} cases/s), peak memory of the worker process {figures['peak_rss_mb']:,} MB.** "
        f"Stages at the end: {figures['stages_at_end']}.",
        "",
        "SLA report it produced (city scope, `GET /v1/metrics/sla`):",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| received / dismissed / filed | {sla['received']:,} / {sla['dismissed']:,} / {sla['filed']:,} |",
        f"| closed (closure rate) | {sla['closed']:,} ({pct(sla['closure_rate'])}) |",
        f"| on-time response (on time / late / overdue open) | {pct(sla['response']['rate'])} "
        f"({sla['response']['on_time']:,} / {sla['response']['late']:,} / {sla['response']['overdue_open']:,}) |",
        f"| on-time disposal (on time / late / overdue open) | {pct(sla['disposal']['rate'])} "
        f"({sla['disposal']['on_time']:,} / {sla['disposal']['late']:,} / {sla['disposal']['overdue_open']:,}) |",
        f"| time to assign, median / p90 | {span(sla['time_to_assign'])} |",
        f"| time to respond, median / p90 | {span(sla['time_to_respond'])} |",
        f"| time to dispose, median / p90 | {span(sla['time_to_dispose'])} |",
        f"| time to close, median / p90 | {span(sla['time_to_close'])} |",
        f"| districts in the breakdown | {figures['sla_districts']} |",
    ]
    write_results("lifecycle", figures, lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=CASES)
    print(json.dumps(run(parser.parse_args().cases), indent=2))
