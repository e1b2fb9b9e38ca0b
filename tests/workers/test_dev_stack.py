"""`onething dev --demo` (what `make demo` runs) from an empty directory: the dev server,
store, workers and API come up, one real case closes, and everything shuts down."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from models.store import CaseLedgerEntry, make_engine

ONETHING = Path(sys.executable).parent / "onething"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_dev_stack_runs_the_demo_case_and_stops_cleanly(tmp_path: Path):
    config = yaml.safe_load((REPO / "temporal-dev.yml").read_text(encoding="utf-8"))
    ports = {"temporal": free_port(), "ui": free_port(), "api": free_port()}
    config["temporal"].update(port=ports["temporal"], ui_port=ports["ui"], db_file=str(tmp_path / "temporal.db"))
    config["api"]["port"] = ports["api"]
    config["store"]["sites"] = 60
    (tmp_path / "dev.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEMPORAL_ADDRESS")}
    env["ONETHING_HOME"] = str(tmp_path / "home")

    run = subprocess.run(
        [str(ONETHING), "dev", "--config", str(tmp_path / "dev.yml"), "--demo", "--exit-after-demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )

    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert f"http://127.0.0.1:{ports['ui']}/namespaces/default/workflows" in output
    assert f"http://127.0.0.1:{ports['api']}/docs" in output
    case_line = next(line for line in output.splitlines() if line.startswith("case muck-truck-"))
    assert ": closed — " in case_line
    for step in ("source site found", "officer assigned", "officer accepted", "district verified", "outcome written"):
        assert step in output, step
    case_id = case_line.split()[1].rstrip(":")
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'onething.db'}")
    with Session(engine) as session:
        tiers = {row.tier for row in session.exec(select(CaseLedgerEntry).where(CaseLedgerEntry.case_id == case_id))}
    engine.dispose()
    assert tiers == {"street", "district", "city"}
    for port in ports.values():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served after shutdown"
    assert (tmp_path / "temporal.db").exists(), "the dev server keeps cases in its SQLite file"
    logs = {p.name for p in (tmp_path / "home" / "logs").iterdir()}
    assert {"temporal.log", "api.log", "worker-district-0.log", "worker-vision-0.log"} <= logs
