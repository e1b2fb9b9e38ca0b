"""Replay every recorded case history against today's workflow code.

A change that would make a running case take a different path on replay (reordered
activities, a new timer, a removed branch) fails here instead of in production. Such
changes go behind `workflow.patched(...)` (see docs/reliability.md); after a deliberate,
patched change, re-record with `make histories`.
"""

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from models.settings import Settings
from models.temporal_client import data_converter
from workers.tiers import WORKFLOWS

HISTORIES = sorted((Path(__file__).resolve().parents[1] / "histories").glob("*.json"))


def test_histories_were_recorded():
    assert len(HISTORIES) >= 10, "run `make histories` to record the scenario histories"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays_deterministically(path: Path):
    recorded = json.loads(path.read_text(encoding="utf-8"))
    history = WorkflowHistory.from_json(recorded["workflow_id"], recorded["history"])
    replayer = Replayer(
        workflows=[workflow for workflows in WORKFLOWS.values() for workflow in workflows],
        data_converter=data_converter(Settings()),
    )
    await replayer.replay_workflow(history)
