"""Frame sources: a still image (file or URL, polled), a video file, or a live stream (RTSP,
HTTP video), sampled at a target rate.

A video file is sampled on its own timeline (frame timestamps), so a test or a replay of
recorded footage gives the same frames on any machine; a live stream is sampled on the
wall clock and reopened with backoff when it drops.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import cv2
import httpx
import numpy as np
import structlog

from activities.vision.pipeline import UndecodableFrame, decode_frame

log = structlog.get_logger("onething.camera")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


@dataclass
class SampledFrame:
    frame: np.ndarray
    observed_at: datetime


def is_still_image(source: str) -> bool:
    return urlparse(source).path.lower().endswith(IMAGE_SUFFIXES)


def is_live(source: str) -> bool:
    return urlparse(source).scheme in ("rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp")


def video_frames(source: str, fps: float, started_at: datetime) -> Iterator[SampledFrame]:
    """A recorded video: frames every 1/fps seconds of its own time, stamped from `started_at`."""
    capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        raise OSError(f"cannot open video {source}")
    next_due = 0.0
    try:
        while capture.grab():
            position = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if position + 1e-6 < next_due:
                continue
            ok, frame = capture.retrieve()
            if ok:
                yield SampledFrame(frame, started_at + timedelta(seconds=position))
            next_due = position + 1.0 / fps
    finally:
        capture.release()


def live_frames(
    source: str,
    fps: float,
    *,
    open_capture: Callable[[str], cv2.VideoCapture] = cv2.VideoCapture,
    max_backoff: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[SampledFrame]:
    """A live stream on the wall clock; reopened with exponential backoff after a drop."""
    attempt = 0
    while True:
        capture = open_capture(source)
        if not capture.isOpened():
            attempt += 1
            backoff = min(max_backoff, 0.5 * 2**attempt)
            log.warning("camera unreachable, retrying", source=source, attempt=attempt, backoff_s=backoff)
            sleep(backoff)
            continue
        attempt = 0
        next_due = time.monotonic()
        try:
            while capture.grab():
                if time.monotonic() < next_due:
                    continue  # keep draining the stream so frames stay current
                ok, frame = capture.retrieve()
                if ok:
                    yield SampledFrame(frame, datetime.now(UTC))
                next_due += 1.0 / fps
                next_due = max(next_due, time.monotonic())
        finally:
            capture.release()
        attempt += 1
        log.warning("camera stream dropped, reconnecting", source=source)
        sleep(min(max_backoff, 0.5 * 2**attempt))


def still_frames(source: str, fps: float, *, count: int | None = None) -> Iterator[SampledFrame]:
    """A snapshot file or URL read again every 1/fps seconds (`count` reads, or forever)."""
    taken = 0
    with httpx.Client(timeout=10.0, follow_redirects=True) as client:
        while count is None or taken < count:
            started = time.monotonic()
            try:
                data = client.get(source).raise_for_status().content if is_live(source) else Path(source).read_bytes()
                yield SampledFrame(decode_frame(data), datetime.now(UTC))
            except (httpx.HTTPError, OSError, UndecodableFrame) as err:
                log.warning("snapshot unavailable", source=source, error=str(err))
            taken += 1
            time.sleep(max(0.0, 1.0 / fps - (time.monotonic() - started)))


def frames_from(
    source: str, fps: float, *, started_at: datetime | None = None, count: int | None = None
) -> Iterator[SampledFrame]:
    if is_still_image(source):
        return still_frames(source, fps, count=count)
    if is_live(source):
        return live_frames(source, fps)
    return video_frames(source, fps, started_at or datetime.now(UTC))
