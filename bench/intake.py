"""Intake → officer told, on the embedded stack (`onething dev`: dev server, one worker
process per tier, the API), at fixed offered loads, with the engine's floor measured in
the same run on the same server (bench/engine_floor.py); then sustained case starts.

Latency is from just before the camera's POST leaves this process to the moment the
officer's "assigned" notification reaches the webhook this process serves — the whole
path a real officer waits for. Load is open-loop: sends are scheduled at the offered
rate whether or not earlier ones have finished, so a slow system queues up rather than
being politely given more time. Ours and the floor alternate at each rate.

`python -m bench.intake [--seconds 20] [--rates 5 20 50]`
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from temporalio.client import Client

from bench import engine_floor
from bench.cases import Sighting, camera_event, latency_summary, machine, sightings, write_results
from models.auth import bearer, signing_key
from models.case import Role
from models.settings import Settings
from models.store.engine import make_engine
from workers.dev_config import DevStackConfig
from workers.dev_stack import DevStack
from workers.frames import write_frame
from workers.metrics import free_port

REPO = Path(__file__).resolve().parents[1]
RATES = (5, 20, 50)
SECONDS = 20.0
DRAIN_S = 30.0
THROUGHPUT_S = 10.0
THROUGHPUT_CONCURRENCY = 16
WARMUP = 20
SITES = 1500  # the registry's trucks with one valid permit × 4 violations ≈ 3.4 sightings per site: enough for every phase


class Webhook:
    """A minimal HTTP receiver noting when each case's first "assigned" notification arrives."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        host, port = self.server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/notify"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
        )
        body = json.loads(await reader.readexactly(length)) if length else {}
        if body.get("kind") == "assigned":
            self.arrived.setdefault(body["case_id"], time.monotonic())
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


class Load:
    """Sends at a fixed rate; `send(i)` returns the case id the notification will name."""

    def __init__(self, webhook: Webhook) -> None:
        self.webhook = webhook

    async def offered(self, rate: float, seconds: float, send: Callable[[int], Awaitable[str]]) -> dict:
        count = int(rate * seconds)
        sent: dict[str, float] = {}
        acks: list[float] = []
        failures: list[str] = []

        async def one(i: int) -> None:
            started = time.monotonic()
            try:
                case_id = await send(i)
            except Exception as err:  # noqa: BLE001  (a failed send is a result, not a crash)
                failures.append(repr(err)[:200])
                return
            acks.append(time.monotonic() - started)
            sent[case_id] = started

        begin = time.monotonic()
        tasks = []
        for i in range(count):
            await asyncio.sleep(max(0.0, begin + i / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
        deadline = time.monotonic() + DRAIN_S
        while time.monotonic() < deadline and not set(sent) <= set(self.webhook.arrived):
            await asyncio.sleep(0.05)
        latencies = [self.webhook.arrived[c] - t for c, t in sent.items() if c in self.webhook.arrived]
        return {
            "offered": count,
            "ack": latency_summary(acks),
            "assigned": latency_summary(latencies),
            "never_assigned": count - len(latencies),
            "failures": failures[:5],
        }

    @staticmethod
    async def sustained(seconds: float, concurrency: int, send: Callable[[int], Awaitable[str]], start: int) -> dict:
        done, counter = 0, iter(range(start, 10**9))
        deadline = time.monotonic() + seconds

        async def loop() -> None:
            nonlocal done
            while time.monotonic() < deadline:
                try:
                    await send(next(counter))
                except IndexError:  # out of fresh sightings: what was sent still counts
                    return
                done += 1

        began = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(concurrency)))
        return {"cases": done, "cases_per_s": round(done / (time.monotonic() - began), 1)}


async def measure(rates: tuple[float, ...], seconds: float) -> dict:
    webhook = Webhook()
    with tempfile.TemporaryDirectory(prefix="onething-bench-") as scratch:
        home = Path(scratch) / "home"
        os.environ[engine_floor.WEBHOOK_ENV] = await webhook.start()
        config = _config(Path(scratch))
        settings = Settings(home=home, database_url=None)
        stack = DevStack(config, settings)
        floor_workers: list[subprocess.Popen] = []
        try:
            await stack.start()
            floor_workers = [_floor_worker(config.temporal.address, tier, stack) for tier in engine_floor.TIERS]

            def alive() -> None:
                stack.check_children()
                if any(process.poll() is not None for process in floor_workers):
                    raise RuntimeError(f"a floor worker exited; see {stack.logs}/floor-*.log")

            return await _run(stack, settings, webhook, rates, seconds, alive)
        finally:
            for process in floor_workers:
                process.terminate()
                process.wait(timeout=15)
            stack.stop()
            os.environ.pop(engine_floor.WEBHOOK_ENV, None)


async def _run(stack: DevStack, settings: Settings, webhook: Webhook, rates, seconds: float, alive) -> dict:
    engine = make_engine(settings.resolved_database_url)
    needed = WARMUP + sum(int(rate * seconds) for rate in rates) + 4000
    pool = sightings(engine, datetime.now(UTC), needed)
    engine.dispose()
    frame = write_frame(settings.home / "snapshots", "bench.png", seed=1)
    key = signing_key(settings)
    floor_client = await Client.connect(stack.config.temporal.address)
    load = Load(webhook)
    used = 0

    async with httpx.AsyncClient(base_url=stack.api_url, timeout=30, limits=httpx.Limits(max_connections=64)) as http:
        headers: dict[str, dict[str, str]] = {}

        async def ours(i: int) -> str:
            sighting: Sighting = pool[i]
            if sighting.camera_id not in headers:
                headers[sighting.camera_id] = bearer(key, sub=sighting.camera_id, role=Role.camera, camera=sighting.camera_id)
            event = camera_event(sighting, datetime.now(UTC), frame).model_dump(mode="json")
            response = await http.post("/v1/scenarios/muck-truck/events", json=event, headers=headers[sighting.camera_id])
            response.raise_for_status()
            return response.json()["case_id"]

        def offset(base: int) -> Callable[[int], Awaitable[str]]:
            return lambda i: ours(base + i)

        async def floor(i: int) -> str:
            case_id = f"floor-{i}"
            await engine_floor.submit_floor(floor_client, case_id)
            return case_id

        await load.offered(10, WARMUP / 10, offset(0))
        await load.offered(10, WARMUP / 10, lambda i: floor(10**6 + i))
        alive()
        used = WARMUP
        by_rate = {}
        for rate in rates:
            mine = await load.offered(rate, seconds, offset(used))
            used += mine["offered"]
            bare = await load.offered(rate, seconds, lambda i, r=rate: floor(int(r * 10**4) + i))
            by_rate[str(rate)] = {"ours": mine, "floor": bare, "overhead": _overhead(mine, bare)}
            alive()
        room = len(pool) - used
        ours_rate = await Load.sustained(THROUGHPUT_S, THROUGHPUT_CONCURRENCY, ours, used)
        floor_rate = await Load.sustained(THROUGHPUT_S, THROUGHPUT_CONCURRENCY, lambda i: floor(9 * 10**6 + i), 0)
    return {
        "rates": by_rate,
        "sustained": {"ours": ours_rate, "floor": floor_rate, "sightings_left_for_it": room},
        "seconds_per_rate": seconds,
    }


def _overhead(mine: dict, bare: dict) -> dict:
    ratio = {}
    for q in ("p50_ms", "p95_ms", "p99_ms"):
        a, b = mine["assigned"][q], bare["assigned"][q]
        ratio[q.removesuffix("_ms")] = round(a / b, 2) if a and b else None
    return ratio


def _config(scratch: Path) -> DevStackConfig:
    config = DevStackConfig.load(REPO / "temporal-dev.yml")
    ports = [free_port("127.0.0.1") for _ in range(3)]
    temporal = config.temporal.model_copy(update={"port": ports[0], "ui_port": ports[1], "db_file": scratch / "temporal.db"})
    return config.model_copy(
        update={
            "temporal": temporal,
            "api": config.api.model_copy(update={"port": ports[2]}),
            "store": config.store.model_copy(update={"sites": SITES}),
        }
    )


def _floor_worker(address: str, tier: str, stack: DevStack) -> subprocess.Popen:
    log = open(stack.logs / f"floor-{tier}.log", "ab")  # noqa: SIM115  (owned by the child)
    env = {**os.environ, "TEMPORAL_ADDRESS": address}
    return subprocess.Popen([sys.executable, "-m", "bench.engine_floor", tier], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)


def run(rates: tuple[float, ...] = RATES, seconds: float = SECONDS) -> dict:
    figures = {"machine": machine(), **asyncio.run(measure(rates, seconds))}
    _write(figures)
    flat = {}
    for rate, row in figures["rates"].items():
        flat[f"{rate}/s assigned p50 ms"] = row["ours"]["assigned"]["p50_ms"]
        flat[f"{rate}/s assigned p99 ms"] = row["ours"]["assigned"]["p99_ms"]
        flat[f"{rate}/s floor p50 ms"] = row["floor"]["assigned"]["p50_ms"]
        flat[f"{rate}/s overhead p50 ×"] = row["overhead"]["p50"]
    flat["sustained case starts/s"] = figures["sustained"]["ours"]["cases_per_s"]
    flat["sustained floor starts/s"] = figures["sustained"]["floor"]["cases_per_s"]
    return flat


def _write(figures: dict) -> None:
    m = figures["machine"]
    lines = [
        "# Intake → officer assigned (embedded stack) vs the engine's floor",
        "",
        f"{m['cpus']} cores, Python {m['python']} on {m['machine']}, {m['taken_at']}; load average "
        f"{m['loadavg_1m_at_start']} at start (the machine is shared with other test runs). "
        f"Open-loop load, {figures['seconds_per_rate']:.0f} s per rate; ours and the floor alternate on one dev server; "
        f"our workers' workflow sandbox {'on' if m['workflow_sandbox'] else 'off'}.",
        "",
        "| offered | path | ack p50 / p99 ms | assigned p50 / p95 / p99 ms | never assigned | overhead p50 / p99 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rate, row in figures["rates"].items():
        for path in ("ours", "floor"):
            r = row[path]
            overhead = f"{row['overhead']['p50']}× / {row['overhead']['p99']}×" if path == "ours" else ""
            lines.append(
                f"| {rate}/s | {path} | {r['ack']['p50_ms']} / {r['ack']['p99_ms']} | "
                f"{r['assigned']['p50_ms']} / {r['assigned']['p95_ms']} / {r['assigned']['p99_ms']} | "
                f"{r['never_assigned']} | {overhead} |"
            )
    s = figures["sustained"]
    lines += [
        "",
        f"Sustained case starts ({THROUGHPUT_CONCURRENCY} concurrent senders, {THROUGHPUT_S:.0f} s): "
        f"ours {s['ours']['cases_per_s']}/s through the API, floor {s['floor']['cases_per_s']}/s straight to Temporal.",
    ]
    write_results("intake", figures, lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--rates", type=float, nargs="+", default=list(RATES))
    args = parser.parse_args()
    print(json.dumps(run(tuple(args.rates), args.seconds), indent=2))
