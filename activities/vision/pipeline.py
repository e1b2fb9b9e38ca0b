"""One frame in, detections and plates out, with the time each stage took.

The pipeline is built once per worker process (`pipeline_for`) from the built models;
its stages are separate methods so the benchmark can time them against a bare
`session.run` on the same input.
"""

import os
import time
from functools import lru_cache
from pathlib import Path

MAX_FRAME_PIXELS = 50_000_000
"""8K is 33 MP; anything larger is not a camera frame but a decompression bomb. OpenCV
reads this limit at its first decode, so it is set before cv2 is imported here."""
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_FRAME_PIXELS))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from activities.vision.plates import PlateReader  # noqa: E402
from activities.vision.sessions import session_for  # noqa: E402
from activities.vision.vehicles import VehicleDetector  # noqa: E402
from models.vision.build import DETECTOR, PLATE_DETECTOR, PLATE_RECOGNISER, load_manifest  # noqa: E402
from models.vision.observations import VEHICLE_CLASSES, FrameAnalysis, ModelRef, StageTimings, Vehicle  # noqa: E402


class UndecodableFrame(ValueError):
    """The bytes are not an image OpenCV can decode."""


def decode_frame(data: bytes) -> np.ndarray:
    try:
        frame = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    except cv2.error as err:  # e.g. a header claiming more than MAX_FRAME_PIXELS
        raise UndecodableFrame(f"frame refused by the decoder: {err.err or err}") from err
    if frame is None:
        raise UndecodableFrame("frame is not a decodable image")
    return frame


class FramePipeline:
    def __init__(self, detector: VehicleDetector, plates: PlateReader, models: dict[str, ModelRef]) -> None:
        self.detector = detector
        self.plates = plates
        self.models = list(models.values())
        self.detector_model = models[DETECTOR]

    def analyse_bytes(self, data: bytes) -> FrameAnalysis:
        started = time.perf_counter()
        frame = decode_frame(data)
        return self.analyse(frame, decode_ms=(time.perf_counter() - started) * 1000)

    def analyse(self, frame: np.ndarray, *, decode_ms: float = 0.0, read_plates: bool = True) -> FrameAnalysis:
        timings = StageTimings(decode=decode_ms)
        height, width = frame.shape[:2]
        clock = time.perf_counter()
        tensor = self.detector.preprocess(frame)
        clock = _lap(timings, "preprocess", clock)
        raw = self.detector.infer(tensor)
        clock = _lap(timings, "inference", clock)
        detections = self.detector.postprocess(*raw, width, height)
        clock = _lap(timings, "postprocess", clock)
        vehicles = [
            Vehicle(detection=d, plate=self.plates.read(frame, d.box) if read_plates else None)
            for d in detections
            if d.label in VEHICLE_CLASSES
        ]
        _lap(timings, "plates", clock)
        return FrameAnalysis(
            width=width, height=height, detections=detections, vehicles=vehicles, models=self.models, timings=timings
        )


def _lap(timings: StageTimings, stage: str, since: float) -> float:
    now = time.perf_counter()
    setattr(timings, stage, round((now - since) * 1000, 3))
    return now


@lru_cache(maxsize=4)
def pipeline_for(models_dir: Path, threads: int = 1, min_vehicle_score: float = 0.35) -> FramePipeline:
    """The process-wide pipeline for a models directory (loaded on first use, then shared)."""
    manifest = load_manifest(models_dir, verify=True)
    detector = VehicleDetector(session_for(manifest.path(models_dir, DETECTOR), threads), manifest.labels, min_vehicle_score)
    plates = PlateReader(
        session_for(manifest.path(models_dir, PLATE_DETECTOR), threads),
        session_for(manifest.path(models_dir, PLATE_RECOGNISER), threads),
    )
    models = {name: ModelRef(name=f"{name}/{model.file}", sha256=model.sha256) for name, model in sorted(manifest.models.items())}
    return FramePipeline(detector, plates, models)
