"""The gateway loop: sample → detect → one post per truck pass, through a bounded queue.

Backpressure: the poster thread sends one event at a time and retries refusals (429, 5xx,
connection errors) with exponential backoff, honouring Retry-After; when its queue is
full the sampler waits, so a slow API slows sampling instead of growing memory. A
re-sent event carries the same camera, instant and snapshot, so the API applies it once.
"""

import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import httpx
import structlog
from pydantic import BaseModel, Field

from activities.vision.pipeline import FramePipeline
from models.case import CameraEvent
from workers.camera.passes import PassTracker, Post
from workers.camera.sources import SampledFrame

log = structlog.get_logger("onething.camera")
EVENTS_PATH = "/v1/scenarios/muck-truck/events"
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class GatewayConfig(BaseModel):
    api_url: str = "http://127.0.0.1:8000"
    token: str | None = Field(default=None, repr=False, description="the camera's key (`onething token --role camera`)")
    camera_id: str = Field(min_length=1, max_length=64)
    snapshots_dir: Path
    classes: tuple[str, ...] = ("truck",)
    queue_size: int = Field(default=8, ge=1)
    gap_seconds: float = Field(default=5.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    max_backoff_s: float = Field(default=30.0, gt=0)


class GatewayReport(BaseModel):
    frames: int = 0
    passes: int = 0
    posted: list[str] = Field(default_factory=list, description="case ids the API answered with")
    failed: int = 0
    retries: int = 0
    waited_s: float = Field(default=0.0, description="time the sampler waited on a full queue")


class EventPoster:
    """Posts events in order on its own thread, retrying what may succeed later."""

    def __init__(self, config: GatewayConfig, report: GatewayReport, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.report = report
        self.sleep = sleep
        self.queue: queue.Queue[CameraEvent | None] = queue.Queue(maxsize=config.queue_size)
        self.thread = threading.Thread(target=self._run, name=f"camera-{config.camera_id}-poster", daemon=True)

    def __enter__(self) -> "EventPoster":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.queue.put(None)
        self.thread.join()

    def put(self, event: CameraEvent) -> None:
        started = time.monotonic()
        self.queue.put(event)  # blocks while the API is behind: that is the backpressure
        self.report.waited_s += time.monotonic() - started

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}
        with httpx.Client(base_url=self.config.api_url, timeout=10.0, headers=headers) as client:
            while (event := self.queue.get()) is not None:
                self._send(client, event)

    def _send(self, client: httpx.Client, event: CameraEvent) -> None:
        body = event.model_dump(mode="json", exclude_none=True)
        for attempt in range(1, self.config.max_attempts + 1):
            delay = min(self.config.max_backoff_s, 0.25 * 2**attempt)
            try:
                response = client.post(EVENTS_PATH, json=body)
            except httpx.TransportError as err:
                log.warning("API unreachable, retrying", error=str(err), attempt=attempt)
            else:
                if response.status_code < 300:
                    self.report.posted.append(response.json()["case_id"])
                    log.info("sighting posted", camera=event.camera_id, case_id=response.json()["case_id"])
                    return
                if response.status_code not in RETRY_STATUSES:
                    self.report.failed += 1
                    log.error("sighting refused", status=response.status_code, detail=response.text[:500])
                    return
                delay = _retry_after(response) or delay
                log.warning("API busy, retrying", status=response.status_code, attempt=attempt, backoff_s=delay)
            if attempt < self.config.max_attempts:
                self.report.retries += 1
                self.sleep(delay)
        self.report.failed += 1
        log.error("sighting given up", camera=event.camera_id, attempts=self.config.max_attempts)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["retry-after"])
    except (KeyError, ValueError):
        return None


class CameraGateway:
    def __init__(self, config: GatewayConfig, pipeline: FramePipeline) -> None:
        self.config = config
        self.pipeline = pipeline
        self.tracker = PassTracker(gap=timedelta(seconds=config.gap_seconds))

    def run(self, frames: Iterable[SampledFrame], *, sleep: Callable[[float], None] = time.sleep) -> GatewayReport:
        report = GatewayReport()
        with EventPoster(self.config, report, sleep) as poster:
            for sampled in frames:
                report.frames += 1
                analysis = self.pipeline.analyse(sampled.frame)
                watched = [v for v in analysis.vehicles if v.detection.label in self.config.classes]
                for post in self.tracker.observe(watched, sampled.frame, sampled.observed_at):
                    poster.put(self._event(post))
            for post in self.tracker.flush():
                poster.put(self._event(post))
        report.passes = self.tracker.count
        return report

    def _event(self, post: Post) -> CameraEvent:
        """Save the frame where the API may read it and describe it as a raw sighting (no alert)."""
        self.config.snapshots_dir.mkdir(parents=True, exist_ok=True)
        path = self.config.snapshots_dir / f"{self.config.camera_id}-{_stamp(post.observed_at)}-pass{post.passing.number}.jpg"
        if not cv2.imwrite(str(path), post.frame, [cv2.IMWRITE_JPEG_QUALITY, 92]):
            raise OSError(f"cannot write snapshot {path}")
        return CameraEvent(camera_id=self.config.camera_id, observed_at=post.observed_at, snapshot_uri=str(path.resolve()))


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%S%f%z")
