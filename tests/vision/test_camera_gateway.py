"""The camera gateway: sources (video timeline, live reconnect), one post per truck pass,
retries with backoff against a busy API, and a sampler held back by a full queue."""

import itertools
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np
import pytest

from models.case import CameraEvent
from tests.vision.conftest import two_trucks_passing
from workers.camera.gateway import CameraGateway, EventPoster, GatewayConfig, GatewayReport
from workers.camera.sources import live_frames, video_frames

START = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


class FakeApi:
    """The events endpoint: answers `busy` requests with 503 first, then 202; can be slow."""

    def __init__(self, busy: int = 0, delay: float = 0.0) -> None:
        self.bodies: list[dict] = []
        self.busy, self.delay = busy, delay
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                time.sleep(api.delay)
                if api.busy:
                    api.busy -= 1
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                api.bodies.append(body)
                payload = json.dumps({"case_id": f"case-{len(api.bodies)}"}).encode()
                self.send_response(202)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeApi":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def two_trucks_video(tmp_path_factory, sample) -> str:
    sample("wqy-microhei.ttc")
    return two_trucks_passing(tmp_path_factory.mktemp("video") / "two-trucks.avi", "渝A·11111", "渝A·22222")


def test_video_is_sampled_on_its_own_timeline(two_trucks_video):
    stamps = [s.observed_at for s in video_frames(two_trucks_video, 2.0, START)]
    assert stamps == [START + timedelta(seconds=0.6 * i) for i in range(5)]  # 5 fps → every 3rd frame ≥ 0.5 s


def test_one_post_per_truck_pass_after_a_busy_api(two_trucks_video, pipeline, tmp_path):
    config = GatewayConfig(camera_id="CAM-JLP-0001", snapshots_dir=tmp_path, gap_seconds=0.5)
    with FakeApi(busy=2) as api:
        config.api_url = api.url
        report = CameraGateway(config, pipeline).run(video_frames(two_trucks_video, 5.0, START))
    assert report.frames == 15 and report.passes == 2
    assert report.posted == ["case-1", "case-2"] and report.retries == 2 and report.failed == 0
    events = [CameraEvent.model_validate(body) for body in api.bodies]
    assert [e.alert for e in events] == [None, None], "raw frames: the platform judges them"
    assert [e.observed_at for e in events] == [START, START + timedelta(seconds=2)]
    snapshot = cv2.imread(events[0].snapshot_uri)
    assert snapshot.shape == (1080, 1440, 3) and str(tmp_path) in events[0].snapshot_uri


def test_a_full_queue_holds_the_sampler_back(tmp_path):
    event = CameraEvent(camera_id="C", observed_at=START, snapshot_uri=str(tmp_path / "x.jpg"))
    report = GatewayReport()
    with FakeApi(delay=0.3) as api:
        config = GatewayConfig(api_url=api.url, camera_id="C", snapshots_dir=tmp_path, queue_size=1)
        with EventPoster(config, report) as poster:
            for _ in range(3):
                poster.put(event)
    assert len(report.posted) == 3
    assert report.waited_s >= 0.2


def test_a_dropped_stream_is_reopened_with_backoff():
    class Capture:
        def __init__(self, frames: int | None) -> None:
            self.frames = frames

        def isOpened(self):  # noqa: N802  (OpenCV's name)
            return self.frames is not None

        def grab(self):
            self.frames -= 1
            return self.frames >= 0

        def retrieve(self):
            return True, np.zeros((4, 4, 3), np.uint8)

        def release(self):
            pass

    opened = iter([Capture(None), Capture(2), Capture(None), Capture(3)])
    waits: list[float] = []
    frames = list(itertools.islice(
        live_frames("rtsp://camera.test/stream", 1e9, open_capture=lambda _: next(opened), sleep=waits.append), 5
    ))
    assert len(frames) == 5
    assert waits == [1.0, 1.0, 2.0]  # unreachable, dropped, still unreachable: backing off, never giving up
