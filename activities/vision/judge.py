"""A raw frame (no edge alert) judged on-platform: see the truck, read its plate, store the
crops as evidence, look up the registries and apply the rules.

The verdict carries everything the chain of custody needs: which models (by weights
sha256) saw what, with which scores and boxes, and the sha256 of every stored crop.
"""

import time
from datetime import datetime, timedelta

import cv2
import numpy as np
import structlog
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.evidence_store import EvidenceStore
from activities.vision.classifier import VisualViolationClassifier
from activities.vision.pipeline import FramePipeline, decode_frame, pipeline_for
from activities.vision.rules import EarlierSighting, Finding, Sighting, judge
from models.case import Violation
from models.store import Camera, TransportPermit
from models.store.upsert import upsert
from models.vision.build import ModelsNotBuilt
from models.vision.observations import Box, FrameAnalysis, ModelRef, Vehicle
from models.vision.settings import VisionSettings
from models.vision.tables import CameraSection, PlateSighting, RestrictedZone

CROP_MARGIN = 0.05


class StoredCrop(BaseModel):
    """A vehicle crop kept as evidence, content-addressed like the frame it was cut from."""

    sha256: str
    stored_uri: str
    size_bytes: int
    model: ModelRef
    label: str
    score: float
    box: Box
    plate: str | None
    plate_confidence: float | None


class FrameVerdict(BaseModel):
    violation: Violation | None
    plate: str | None
    plate_confidence: float | None
    reason: str
    findings: list[Finding]
    analysis: FrameAnalysis
    crops: list[StoredCrop]


class FrameJudge:
    def __init__(
        self,
        engine: Engine,
        store: EvidenceStore,
        pipeline: FramePipeline,
        settings: VisionSettings,
        classifier: VisualViolationClassifier | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.pipeline = pipeline
        self.settings = settings
        self.classifier = classifier

    def judge(
        self, data: bytes, camera: Camera, observed_at: datetime, frame_sha256: str, *, min_confidence: float
    ) -> FrameVerdict:
        """`min_confidence` is the policy's bar for visual flags; plates have their own setting."""
        started = time.perf_counter()
        frame = decode_frame(data)
        analysis = self.pipeline.analyse(frame, decode_ms=(time.perf_counter() - started) * 1000)
        crops = [self._store_crop(frame, vehicle) for vehicle in analysis.trucks()]
        truck = _principal_truck(analysis.trucks())
        if truck is None:
            seen = ", ".join(sorted(d.label for d in analysis.detections)) or "nothing"
            return FrameVerdict(
                violation=None, plate=None, plate_confidence=None, reason=f"no truck in the frame (saw: {seen})",
                findings=[], analysis=analysis, crops=crops,
            )
        reading = truck.plate
        trusted = reading is not None and reading.text is not None and reading.confidence >= self.settings.min_plate_confidence
        plate = reading.text if trusted else None
        sighting = Sighting(
            camera_id=camera.id, lon=camera.lon, lat=camera.lat, observed_at=observed_at,
            plate=plate, plate_confidence=reading.confidence if trusted else 0.0,
            visual=self.classifier.classify(frame, truck.detection.box) if self.classifier else [],
        )
        with Session(self.engine) as session:
            findings = judge(
                sighting,
                permits=list(session.exec(select(TransportPermit).where(TransportPermit.plate == plate)).all()) if plate else [],
                zones=list(session.exec(select(RestrictedZone)).all()),
                earlier=self._earlier(session, sighting) if plate else [],
                min_confidence=min_confidence,
            )
            if plate:
                _record_sighting(session, sighting, frame_sha256)
                session.commit()
        described = f"truck {truck.detection.score:.2f}, plate {plate or _unread(reading)}"
        reason = "; ".join(f.reason for f in findings) if findings else "no violation seen"
        return FrameVerdict(
            violation=findings[0].violation if findings else None,
            plate=plate,
            plate_confidence=reading.confidence if trusted else None,
            reason=f"on-platform vision ({described}): {reason}",
            findings=findings, analysis=analysis, crops=crops,
        )

    def _earlier(self, session: Session, sighting: Sighting) -> list[EarlierSighting]:
        """The latest sighting of the plate at the entry of each section ending at this camera."""
        since = sighting.observed_at - timedelta(minutes=self.settings.max_section_minutes)
        sections = session.exec(select(CameraSection).where(CameraSection.exit_camera_id == sighting.camera_id)).all()
        earlier = []
        for section in sections:
            seen = session.exec(
                select(PlateSighting.observed_at)
                .where(
                    PlateSighting.plate == sighting.plate,
                    PlateSighting.camera_id == section.entry_camera_id,
                    PlateSighting.observed_at >= since,
                    PlateSighting.observed_at < sighting.observed_at,
                )
                .order_by(PlateSighting.observed_at.desc())
            ).first()
            if seen is not None:
                earlier.append(EarlierSighting(section=section, observed_at=seen))
        return earlier

    def _store_crop(self, frame: np.ndarray, vehicle: Vehicle) -> StoredCrop:
        box = vehicle.detection.box
        dx, dy = box.width * CROP_MARGIN, box.height * CROP_MARGIN
        x1, y1 = int(max(0, box.x1 - dx)), int(max(0, box.y1 - dy))
        x2, y2 = int(min(frame.shape[1], box.x2 + dx)), int(min(frame.shape[0], box.y2 + dy))
        ok, encoded = cv2.imencode(".png", frame[y1:y2, x1:x2])  # lossless: the crop is evidence
        assert ok, "PNG encoding of a non-empty crop cannot fail"
        digest, path = self.store.put(encoded.tobytes())
        plate = vehicle.plate
        return StoredCrop(
            sha256=digest, stored_uri=path.resolve().as_uri(), size_bytes=path.stat().st_size,
            model=self.pipeline.detector_model, label=vehicle.detection.label, score=vehicle.detection.score, box=box,
            plate=plate.text if plate else None, plate_confidence=plate.confidence if plate else None,
        )


def _principal_truck(trucks: list[Vehicle]) -> Vehicle | None:
    """The truck the frame is about: the one whose plate reads best, else the nearest (largest)."""
    if not trucks:
        return None
    return max(
        trucks,
        key=lambda v: (v.plate is not None and v.plate.text is not None, v.plate.confidence if v.plate else 0.0,
                       v.detection.box.width * v.detection.box.height),
    )


def _unread(reading) -> str:
    if reading is None:
        return "not found"
    return f"unreadable ({reading.raw or '?'} at {reading.confidence:.2f})"


def _record_sighting(session: Session, sighting: Sighting, frame_sha256: str) -> None:
    row = PlateSighting(
        camera_id=sighting.camera_id, plate=sighting.plate, observed_at=sighting.observed_at,
        frame_sha256=frame_sha256, confidence=sighting.plate_confidence,
    )
    upsert(session, PlateSighting, [row.model_dump(exclude={"id"})], keys=("camera_id", "observed_at", "plate"))


def frame_judge_for(engine: Engine, store: EvidenceStore, settings: VisionSettings) -> FrameJudge | None:
    """The vision worker's judge, its models loaded once per process; None when not built."""
    try:
        pipeline = pipeline_for(settings.models_dir.resolve(), settings.threads, settings.min_vehicle_score)
    except ModelsNotBuilt as err:
        structlog.get_logger("onething.vision").warning("raw frames cannot be judged", reason=str(err))
        return None
    classifier = VisualViolationClassifier(settings.classifier_path, settings.threads) if settings.classifier_path else None
    return FrameJudge(engine, store, pipeline, settings, classifier)
