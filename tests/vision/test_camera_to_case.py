"""The whole chain with no edge AI: `onething camera`'s gateway samples a video, posts one
raw sighting per truck pass to the real API (camera key, uvicorn on 127.0.0.1), and the
vision worker turns each into a case: a permitted truck outside its hours reaches an
officer, a truck with no permit waits for the district's triage."""

import asyncio
import socket
from datetime import datetime

import pytest
import uvicorn

from api.app import create_app
from models.auth import mint_token, signing_key
from models.case import Role, Stage, Violation
from models.store.registry import CHONGQING_TZ
from tests.casebook import CAMERA, NEAR_OFFICER, PLATE_LOCAL, PLATE_NONE
from tests.vision.conftest import two_trucks_passing
from tests.workflows.conftest import case_settings, dev_env, dev_stack, wait_for  # noqa: F401,F811  (fixtures)
from workers.camera.gateway import CameraGateway, GatewayConfig
from workers.camera.sources import video_frames

pytestmark = pytest.mark.slow  # the real dev server, every tier's worker and the API over HTTP

AFTERNOON = datetime(2026, 11, 24, 14, 0, tzinfo=CHONGQING_TZ)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_gateway_posts_become_cases(manifest, sample, pipeline, dev_stack, tmp_path):
    sample("wqy-microhei.ttc")
    video = two_trucks_passing(tmp_path / "passing.avi", PLATE_LOCAL, PLATE_NONE)
    settings = dev_stack.settings.model_copy(update={"temporal_address": dev_stack.client.service_client.config.target_host})
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "uvicorn did not start"
        await asyncio.sleep(0.05)
    token = mint_token(signing_key(settings), sub=CAMERA, role=Role.camera, camera=CAMERA)
    config = GatewayConfig(
        api_url=f"http://127.0.0.1:{port}", token=token, camera_id=CAMERA,
        snapshots_dir=settings.home / "snapshots", gap_seconds=0.5,
    )
    try:
        report = await asyncio.to_thread(CameraGateway(config, pipeline).run, video_frames(video, 5.0, AFTERNOON))
    finally:
        server.should_exit = True
        await serving
    assert report.passes == 2 and len(report.posted) == 2 and report.failed == 0

    handles = [dev_stack.client.get_workflow_handle(case_id) for case_id in report.posted]
    dev_stack._opened.extend(handles)
    assigned = await wait_for(handles[0], lambda s: s.stage is Stage.awaiting_response, timeout=30)
    assert (assigned.plate, assigned.violation) == (PLATE_LOCAL, Violation.outside_hours)
    assert assigned.officer.officer_id == NEAR_OFFICER
    unpermitted = await wait_for(handles[1], lambda s: s.stage is Stage.triage, timeout=30)
    assert (unpermitted.plate, unpermitted.violation) == (PLATE_NONE, Violation.no_permit)
