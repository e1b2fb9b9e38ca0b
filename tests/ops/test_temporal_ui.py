"""What ops staff see: a case opened through intake shows up in `temporal workflow list
--query` with its search attributes, and the dev server's Web UI, rendered in headless
Chromium (Debian's `chromium`), shows the case with its stage, place and officer.

The page is rendered twice: once to read its DOM (what the assertions check) and once to
keep a screenshot for a person to look at (`screenshots/` under the test's directory).
"""

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from api.intake import submit_muck_truck_event
from models.case import Actor, ConfirmCrossDistrictCommand, Role, Stage
from models.policy import MuckTruckPolicy
from models.settings import Settings
from models.temporal_client import data_converter, payload_codec
from tests.casebook import CAMERA, PLATE_CROSS, SHAPINGBA, XIAOLONGKAN
from tests.ops.chromium import CHROMIUM, Browser
from tests.workflows.conftest import DEV_SERVER, running_stack, wait_for
from workers.dev_codec import LocalCodecServer
from workers.metrics import free_port
from workers.search_attributes import register_search_attributes
from workflows.muck_truck import MuckTruckCaseWorkflow

TEMPORAL = Path(sys.executable).parent / "temporal"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest_asyncio.fixture
async def ui_env() -> WorkflowEnvironment:
    ui_port = free_port("127.0.0.1")
    codec = LocalCodecServer(payload_codec(Settings()), ui_origins={f"http://127.0.0.1:{ui_port}"}).start()
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(DEV_SERVER),
        data_converter=data_converter(Settings()),
        ui=True,
        ui_port=ui_port,
        dev_server_extra_args=["--ui-codec-endpoint", codec.url],  # as `onething dev` gives its UI
    )
    env.ui_url = f"http://127.0.0.1:{ui_port}"
    async with env:
        await register_search_attributes(env.client)
        yield env
    codec.stop()


async def test_a_case_reads_in_the_cli_and_the_web_ui(ui_env, case_settings, tmp_path):
    async with running_stack(ui_env, case_settings) as stack:
        receipt = await submit_muck_truck_event(stack.client, stack.event(PLATE_CROSS), MuckTruckPolicy())
        handle = stack.client.get_workflow_handle(receipt.case_id)
        stack._opened.append(handle)
        await wait_for(handle, lambda s: s.stage is Stage.awaiting_city)
        city = Actor(role=Role.city, id="city-duty", unit_code="CITY")
        await handle.execute_update(MuckTruckCaseWorkflow.confirm_cross_district, ConfirmCrossDistrictCommand(actor=city))
        status = await wait_for(handle, lambda s: s.stage is Stage.awaiting_response)

        query = f"OneThingStage = 'awaiting_response' AND OneThingStreet = '{XIAOLONGKAN}'"
        listed = await _list_until(ui_env, query, receipt.case_id)
        attributes = listed["searchAttributes"]["indexedFields"]
        assert {"OneThingDistrict", "OneThingOfficer", "OneThingPlate", "OneThingResponseDue"} <= set(attributes)

        description = await handle.describe()
        assert await description.static_summary() == f"渣土车 冒装 {PLATE_CROSS} · camera {CAMERA}"
        metadata = await handle.query("__temporal_workflow_metadata")
        assert metadata.current_details == f"渣土车 冒装 {PLATE_CROSS} · 九龙坡区 → 沙坪坝区 · awaiting officer"
        run_id = description.run_id
        shots = tmp_path / "screenshots"
        shots.mkdir()
        browser = Browser(tmp_path / "profile")
        try:
            page = browser.open(f"{ui_env.ui_url}/namespaces/default/workflows/{receipt.case_id}/{run_id}/history")
            page.wait_for_text(receipt.case_id, "RUNNING", "record_milestones", "choose_officer", f"渣土车 冒装 {PLATE_CROSS}")
            page.click_text("Search Attributes")
            shown = page.wait_for_text("OneThingStage", "awaiting_response", XIAOLONGKAN, status.officer.officer_id)
            page.screenshot(shots / "case.png")
            listing = browser.open(f"{ui_env.ui_url}/namespaces/default/workflows?query={quote(query)}")
            listing.wait_for_text(receipt.case_id)
            listing.screenshot(shots / "list.png")
        finally:
            browser.close()
        assert SHAPINGBA in shown and PLATE_CROSS in shown
        assert (shots / "case.png").stat().st_size > 10_000 and (shots / "list.png").stat().st_size > 10_000


async def _list_until(env, query: str, case_id: str) -> dict:
    address = env.client.service_client.config.target_host
    for _ in range(50):
        done = subprocess.run(
            [str(TEMPORAL), "workflow", "list", "--address", address, "--query", query, "--output", "json"],
            capture_output=True, text=True, timeout=30,
        )
        assert done.returncode == 0, done.stderr
        rows = [row for row in json.loads(done.stdout or "[]") if row["execution"]["workflowId"] == case_id]
        if rows:
            return rows[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"{case_id} never listed for {query}")
